// Header search autocomplete for conservateurs (filled in by the search work; the form works without it).
export {};
