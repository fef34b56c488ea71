// Command floor is the baseline vet tool of the sessionlock benchmark: its
// analyzer does no work at all, but it declares a fact type, so the go command
// runs it over every dependency exactly as it runs sessionlock. Its time and
// memory are therefore the cost of the go/analysis driver itself (parsing,
// type-checking from export data, fact plumbing); anything sessionlock takes
// beyond it is the price of the analysis.
package main
