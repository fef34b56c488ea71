module example.com/cpuonly

go 1.22

require golang.org/x/crypto v0.0.0-00010101000000-000000000000

// The stand-in has the real module path; the version it is required at
// makes it a dependency, as in an app.
replace golang.org/x/crypto => ./crypto
