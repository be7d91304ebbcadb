"""The site copy of baogialai: article.html, its article page's markup with slots for our texts."""
