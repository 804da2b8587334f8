"""Screenshot capture (截图): freeze the screens, pick a region, mark it up, send, copy or save it."""
