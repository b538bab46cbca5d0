"""Information material (issue 17): the catalogue of leaflets and links, what fits a client,
and what was handed out."""
