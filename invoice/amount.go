package invoice

// minScale is the fewest fractional digits an amount is written with:
// cents, as portals display them.
const minScale = 2
