package config

import (
	"fmt"
	"strings"
)

// checkCookieName requires name to be a cookie name as RFC 6265 section
// 4.1.1 defines it (an RFC 2616 token): the theme's script writes it
// into document.cookie, where ";" or "=" would set other attributes,
// such as Domain= or Path=, or another cookie.
func checkCookieName(name string) error {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?={}", c) >= 0 {
			return fmt.Errorf("%q is not a valid cookie name: %q is not allowed; use letters, digits and - _ . such as \"ps_consent\"", name, name[i:i+1])
		}
	}
	return nil
}

// checkKeep requires a name listed in output.keep to be one entry at the
// top of the output folder.
func checkKeep(name string) error {
	switch {
	case name == "" || name == "." || name == "..":
		return fmt.Errorf("%q is not a file or folder name", name)
	case strings.ContainsAny(name, "/\\"):
		return fmt.Errorf("%q must be a name at the top of the output folder, without / or \\", name)
	case strings.HasPrefix(name, ".policysite-"):
		return fmt.Errorf("%q is one of policysite's own files", name)
	}
	return nil
}
