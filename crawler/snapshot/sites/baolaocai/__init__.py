"""The site copy of baolaocai: article.html, its real article page's markup with slots for our texts."""
