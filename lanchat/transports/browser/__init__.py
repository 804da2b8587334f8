"""A phone's browser as a peer: a share's link (a QR code) opens a page that uploads and downloads files."""
