package redline

import (
	"strings"
	"testing"

	"policysite/generator/markdown"
)

// base is a small policy the cases below edit.
const base = `Intro paragraph of the policy.

## What we collect {#collect}

We collect your name and e-mail address.

- contact details;
- account information;
- usage data.

We keep logs for 180 days.

## Cookies

A cookie is a small text file.

| Name | Purpose | Lifetime |
|---|---|---|
| ps_consent | Remembers your choice | 6 months |
| ps_region | Remembers your region | 1 year |

## Your rights {#rights}

You can ask for a copy of your data.

## Contact {#contact}

Write to privacy@example.com.
`

func TestCompare(t *testing.T) {
	md := markdown.New(markdown.Options{})
	for _, tc := range []struct {
		name string
		edit func(string) string
		want string
	}{
		{"no change", func(s string) string { return s }, `
unchanged #_intro ""
unchanged #collect "What we collect"
unchanged #cookies "Cookies"
unchanged #rights "Your rights"
unchanged #contact "Contact"
`},
		{"only white space and formatting", func(s string) string {
			s = strings.Replace(s, "We collect your name and e-mail address.", "We collect your **name**\nand   e-mail address.", 1)
			s = strings.Replace(s, "- contact details;", "* contact   details;", 1)
			s = strings.Replace(s, "180 days", "180\u00a0days", 1)
			s = strings.Replace(s, "|---|---|---|", "| :-- | --- | --: |", 1)
			s = strings.Replace(s, "Write to privacy@example.com.", "Write to [privacy@example.com](mailto:privacy@example.com).", 1)
			return strings.ReplaceAll(s, "\n", "\r\n")
		}, `
unchanged #_intro ""
unchanged #collect "What we collect"
unchanged #cookies "Cookies"
unchanged #rights "Your rights"
unchanged #contact "Contact"
`},
		{"changed word", func(s string) string { return strings.Replace(s, "180 days", "90 days", 1) }, `
unchanged #_intro ""
changed #collect "What we collect"
    … 3
  = item1: usage data.
  ~ paragraph: We keep logs for [-180-]{+90+} days.
unchanged #cookies "Cookies"
unchanged #rights "Your rights"
unchanged #contact "Contact"
`},
		{"changed list item", func(s string) string {
			return strings.Replace(s, "- account information;", "- account information, such as your user name;", 1)
		}, `
unchanged #_intro ""
changed #collect "What we collect"
    … 1
  = item1: contact details;
  ~ item1: account information{+, such as your user name+};
  = item1: usage data.
unchanged #cookies "Cookies"
unchanged #rights "Your rights"
unchanged #contact "Contact"
`},
		{"added and removed list items", func(s string) string {
			s = strings.Replace(s, "- account information;\n", "", 1)
			return strings.Replace(s, "- usage data.\n", "- usage data;\n- location data.\n", 1)
		}, `
unchanged #_intro ""
changed #collect "What we collect"
    … 1
  = item1: contact details;
  - item1: account information;
  ~ item1: usage data[-.-]{+;+}
  + item1: location data.
  = paragraph: We keep logs for 180 days.
unchanged #cookies "Cookies"
unchanged #rights "Your rights"
unchanged #contact "Contact"
`},
		{"changed table cell", func(s string) string { return strings.Replace(s, "| 1 year |", "| 2 years |", 1) }, `
unchanged #_intro ""
unchanged #collect "What we collect"
changed #cookies "Cookies"
    … 1
  = row header: Name | Purpose | Lifetime
  = row: ps_consent | Remembers your choice | 6 months
  ~ row: ps_region | Remembers your region | [-1 year-]{+2 years+}
unchanged #rights "Your rights"
unchanged #contact "Contact"
`},
		{"added section", func(s string) string {
			return strings.Replace(s, "## Contact {#contact}", "## Children {#children}\n\nOur services are not for children.\n\n## Contact {#contact}", 1)
		}, `
unchanged #_intro ""
unchanged #collect "What we collect"
unchanged #cookies "Cookies"
unchanged #rights "Your rights"
added #children "Children"
  + paragraph: Our services are not for children.
unchanged #contact "Contact"
`},
		{"removed section", func(s string) string {
			return strings.Replace(s, "## Your rights {#rights}\n\nYou can ask for a copy of your data.\n\n", "", 1)
		}, `
unchanged #_intro ""
unchanged #collect "What we collect"
unchanged #cookies "Cookies"
removed #rights "Your rights"
  - paragraph: You can ask for a copy of your data.
unchanged #contact "Contact"
`},
		{"moved section", func(s string) string {
			rights := "## Your rights {#rights}\n\nYou can ask for a copy of your data.\n\n"
			s = strings.Replace(s, rights, "", 1)
			return strings.Replace(s, "## Cookies", rights+"## Cookies", 1)
		}, `
unchanged #_intro ""
unchanged #collect "What we collect"
changed moved #rights "Your rights"
unchanged #cookies "Cookies"
unchanged #contact "Contact"
`},
		// A heading without an explicit ID gets a new generated one when
		// it is renamed; its text pairs it.
		{"renamed section", func(s string) string {
			return strings.Replace(s, "## Cookies", "## Cookies and similar technologies", 1)
		}, `
unchanged #_intro ""
unchanged #collect "What we collect"
changed #cookies-and-similar-technologies (was #cookies) "Cookies and similar technologies"
  ~ heading2: Cookies{+ and similar technologies+}
  = paragraph: A cookie is a small text file.
unchanged #rights "Your rights"
unchanged #contact "Contact"
`},
		{"renamed and moved by heading text", func(s string) string {
			s = strings.Replace(s, "## Contact {#contact}", "## Contact {#contact-us}", 1)
			return s
		}, `
unchanged #_intro ""
unchanged #collect "What we collect"
unchanged #cookies "Cookies"
unchanged #rights "Your rights"
unchanged #contact-us (was #contact) "Contact"
`},
		// Two different sections in the same place are one removed and
		// one added, not one changed beyond recognition.
		{"replaced section", func(s string) string {
			return strings.Replace(s, "## Your rights {#rights}\n\nYou can ask for a copy of your data.", "## Security\n\nWe protect information with encryption.", 1)
		}, `
unchanged #_intro ""
unchanged #collect "What we collect"
unchanged #cookies "Cookies"
removed #rights "Your rights"
  - paragraph: You can ask for a copy of your data.
added #security "Security"
  + paragraph: We protect information with encryption.
unchanged #contact "Contact"
`},
		{"changed introduction", func(s string) string { return strings.Replace(s, "Intro paragraph", "Short intro paragraph", 1) }, `
changed #_intro ""
  ~ paragraph: [-Intro-]{+Short intro+} paragraph of the policy.
unchanged #collect "What we collect"
unchanged #cookies "Cookies"
unchanged #rights "Your rights"
unchanged #contact "Contact"
`},
	} {
		old := Sections(md, []byte(base))
		new := Sections(md, []byte(tc.edit(base)))
		got := format(Compare(old, new))
		if want := strings.TrimPrefix(tc.want, "\n"); got != want {
			t.Errorf("%s: Compare =\n%s\nwant\n%s", tc.name, got, want)
		}
	}
}
