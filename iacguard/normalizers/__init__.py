"""One normalizer per format: native documents in, canonical resources out."""
