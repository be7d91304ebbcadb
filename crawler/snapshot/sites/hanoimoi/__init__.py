"""The site copy of hanoimoi: article.html, its article page's markup with slots for our texts."""
