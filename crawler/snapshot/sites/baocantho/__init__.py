"""The site copy of baocantho: article.html, its real article page's markup with slots for our texts."""
