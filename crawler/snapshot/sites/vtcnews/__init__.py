"""The site copy of vtcnews: article.html, its real article page's markup with slots for our texts."""
