"""Article extraction: HTML in, ``Article`` out. Pure: no Scrapy, no I/O."""
