"""The site copy of baohatinh: article.html, its article page's markup with slots for our texts."""
