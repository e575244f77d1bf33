package cdn

// Golden lets the whole-build tests in package cdn_test share golden and
// its -update flag.
var Golden = golden
