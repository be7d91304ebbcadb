"""The site copy of vnexpress: article.html, its real article page's markup with slots for our texts."""
