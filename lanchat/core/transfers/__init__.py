"""Pictures and files on every network: state, bookkeeping, the accept policy and the download folder."""
