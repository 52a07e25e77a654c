// The OCR module.
