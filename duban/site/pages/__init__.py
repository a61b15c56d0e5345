"""The site's pages, one module per kind of page, each a function from a plan's figures
(site.figures) to a Page; paths says where each page is, pieces holds what several share."""
