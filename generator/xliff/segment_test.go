package xliff

import (
	"strings"
	"testing"
)

func TestSegmentRoundTrip(t *testing.T) {
	p := newSegmenter()
	for _, tc := range []struct {
		name, src string
		want      []string // the text of each span, codes as [..]
	}{
		{"heading and paragraph", "## Your rights {#your-rights}\n\nYou may **ask** us.\n",
			[]string{"Your rights", "You may [**]ask[**] us."}},
		{"link and code", "See [our cookie policy](/en/cookies/ \"Cookies\") and `ps_consent`.\n",
			[]string{"See [[]our cookie policy[](/en/cookies/ \"Cookies\")] and [`ps_consent`]."}},
		{"markup at both ends", "**Note:** see [the policy](/p/)\n", []string{"[**]Note:[**] see [[]the policy[](/p/)]"}},
		{"soft break", "One line\n  and the next.\n", []string{"One line{br}and the next."}},
		{"list", "- first *item*\n- second\n\n1. numbered\n", []string{"first [*]item[*]", "second", "numbered"}},
		{"table", "| Name | Purpose |\n|---|---|\n| `ps_consent` | stores your **choice** |\n",
			[]string{"Name", "Purpose", "stores your [**]choice[**]"}},
		{"code block skipped", "Text.\n\n```\ncode here\n```\n", []string{"Text."}},
		{"escape", "A literal \\* star.\n", []string{"A literal \\* star."}},
		{"autolink", "Write to <privacy@example.com> today.\n", []string{"Write to [<privacy@example.com>] today."}},
		{"image alt", "![A diagram](img/d.png)\n", []string{"[![]A diagram[](img/d.png)]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spans := segment(p, []byte(tc.src))
			var got []string
			for _, s := range spans {
				var b strings.Builder
				for _, pc := range s.Pieces {
					switch {
					case pc.Break:
						b.WriteString("{br}")
					case pc.isCode():
						b.WriteString("[" + pc.Code + "]")
					default:
						b.WriteString(pc.Text)
					}
				}
				got = append(got, b.String())
				if s.source() != tc.src[s.Start:s.End] {
					t.Errorf("span source %q; want %q", s.source(), tc.src[s.Start:s.End])
				}
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("segment(%q) =\n%q\nwant\n%q", tc.src, got, tc.want)
			}
			keep := make([]*string, len(spans))
			if out := rebuild([]byte(tc.src), spans, keep); string(out) != tc.src {
				t.Errorf("rebuild without translations = %q; want the source", out)
			}
		})
	}
}
