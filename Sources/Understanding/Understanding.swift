// The Understanding module.
