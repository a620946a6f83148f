"""Pipeline for the kvinnofrid FoU report: raw transcriptions → shares → Swedish report."""
