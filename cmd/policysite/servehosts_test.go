package main

import (
	"slices"
	"testing"
)

func TestAddHosts(t *testing.T) {
	var hosts []string
	for _, v := range []string{"preview.example.test", "a.test, .dev.test"} {
		if err := addHosts(&hosts, v); err != nil {
			t.Fatalf("addHosts(%q) = %v", v, err)
		}
	}
	if want := []string{"preview.example.test", "a.test", ".dev.test"}; !slices.Equal(hosts, want) {
		t.Errorf("hosts = %q; want %q", hosts, want)
	}
	for _, bad := range []string{"http://a.test", "a.test:8080", "", "a b"} {
		if err := addHosts(&hosts, bad); err == nil {
			t.Errorf("addHosts(%q) = nil; want an error", bad)
		}
	}
}
