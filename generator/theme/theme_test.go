package theme

import (
	"errors"
	"testing"
)

func TestTemplateError(t *testing.T) {
	th := &Theme{Sources: map[string]string{
		"layouts/base.html":      "embedded:layouts/base.html",
		"partials/header.html":   "site/themes/default/partials/header.html",
		"partials/switcher.html": "embedded:partials/switcher.html",
	}}
	for _, tc := range []struct{ err, want string }{
		{
			`template: partials/header.html:2:2: executing "partials/header.html" at <index .Switcher 99>: error calling index: index out of range: 99`,
			`site/themes/default/partials/header.html:2: executing "partials/header.html" at <index .Switcher 99>: error calling index: index out of range: 99`,
		},
		// A partial executed by a template function: its position, not
		// the caller's.
		{
			`template: layouts/base.html:16:2: executing "layouts/base.html" at <partialLocale "partials/header.html" .>: error calling partialLocale: template: partials/header.html:2:2: executing "partials/header.html" at <.Nope>: can't evaluate field Nope`,
			`site/themes/default/partials/header.html:2: executing "partials/header.html" at <.Nope>: can't evaluate field Nope`,
		},
		{
			`template: partials/switcher.html:7:3: executing "partials/switcher.html" at <T "a template: b">: error`,
			`embedded:partials/switcher.html:7: executing "partials/switcher.html" at <T "a template: b">: error`,
		},
		{`no position`, `no position`},
	} {
		if got := th.TemplateError(errors.New(tc.err)).Error(); got != tc.want {
			t.Errorf("TemplateError(%q) = %q; want %q", tc.err, got, tc.want)
		}
	}
}
