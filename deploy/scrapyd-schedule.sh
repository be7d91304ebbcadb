#!/bin/sh
# Schedule one vnnews crawl on Scrapyd with the settings of /etc/vnnews/vnnews.env, the same file the
# systemd and cron set-ups read: VNNEWS_DB and VNNEWS_CONTACT_URL become Scrapy settings, and every
# `-s NAME=VALUE` of VNNEWS_CRAWL_OPTIONS becomes a `setting=NAME=VALUE` field of schedule.json.
# Scrapyd has no clock: run this hourly from cron or a timer, e.g.
#   17 * * * *  vnnews  /opt/vnnews/deploy/scrapyd-schedule.sh >/dev/null
# Extra arguments are passed to curl first, e.g. a spider argument: --data-urlencode base_url=http://...
# Environment: VNNEWS_ENV_FILE (default /etc/vnnews/vnnews.env), SCRAPYD_URL (default http://127.0.0.1:6800).
set -eu
set -a
. "${VNNEWS_ENV_FILE:-/etc/vnnews/vnnews.env}"
set +a
scrapyd_url=${SCRAPYD_URL:-http://127.0.0.1:6800}

set -- "$@" --data-urlencode project=vnnews --data-urlencode spider=baonghean \
    --data-urlencode "setting=VNNEWS_DB=$VNNEWS_DB" \
    --data-urlencode "setting=VNNEWS_CONTACT_URL=$VNNEWS_CONTACT_URL"
for word in ${VNNEWS_CRAWL_OPTIONS:-}; do
    case $word in
        -s) ;;
        *) set -- "$@" --data-urlencode "setting=$word" ;;
    esac
done
# Prints Scrapyd's answer, {"status": "ok", "jobid": "..."}; exits non-zero when Scrapyd refuses.
exec curl --silent --show-error --fail-with-body "$@" "${scrapyd_url%/}/schedule.json"
