"""The site copy of znews: article.html, its real article page's markup with slots for our texts."""
