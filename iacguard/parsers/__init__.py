"""One parser per format: text in, native document with exact positions out."""
