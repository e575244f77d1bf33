package markdown

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/*.txt")

// TestCases renders each testdata/*.txt archive's "in.md" and compares
// the HTML with its "out.html" and the TOC with "toc.txt". An "opts"
// file may say "unsafe", "number" or "headingIDs=ALGORITHM". toc.txt
// also lists problems, the page's link targets (ids) and warnings.
func TestCases(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) == 0 {
		t.Fatal("no test cases")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			sections := map[string]string{}
			for _, f := range ar.Files {
				sections[f.Name] = string(f.Data)
			}
			opts := sections["opts"]
			mo := Options{Unsafe: strings.Contains(opts, "unsafe")}
			if _, algo, ok := strings.Cut(opts, "headingIDs="); ok {
				a, err := ParseHeadingIDs(strings.Fields(algo)[0])
				if err != nil {
					t.Fatal(err)
				}
				mo.HeadingIDs = a
			}
			md := New(mo)
			ro := RenderOptions{Resolve: func(dest string) (string, error) {
				p, frag, err := SplitPageLink(dest)
				if err != nil {
					return "", err
				}
				if p == "missing.md" {
					return "", errors.New("no such page")
				}
				u := "/en/" + strings.TrimSuffix(p, ".md") + "/"
				if frag != "" {
					u += "#" + frag
				}
				return u, nil
			}}
			if strings.Contains(opts, "number") {
				yes := true
				ro.Number = &yes
			}
			res, err := md.Render([]byte(sections["in.md"]), ro)
			if err != nil {
				t.Fatal(err)
			}
			var toc strings.Builder
			toc.WriteString("title: " + res.Title + "\n")
			for _, e := range res.TOC {
				toc.WriteString(strings.Repeat("  ", e.Level-2) + e.Number + " " + e.Text + " #" + e.ID + "\n")
			}
			for _, p := range res.Problems {
				toc.WriteString("problem: " + p.Err.Error() + "\n")
			}
			if len(res.IDs) > 0 {
				toc.WriteString("ids: " + strings.Join(res.IDs, " ") + "\n")
			}
			for _, w := range res.Warnings {
				fmt.Fprintf(&toc, "warning: line %d: %s: %s\n", 1+strings.Count(sections["in.md"][:w.Offset], "\n"), w.Kind, w.Detail)
			}
			if *update {
				for i, f := range ar.Files {
					switch f.Name {
					case "out.html":
						ar.Files[i].Data = res.HTML
					case "toc.txt":
						ar.Files[i].Data = []byte(toc.String())
					}
				}
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got, want := string(res.HTML), sections["out.html"]; got != want {
				t.Errorf("HTML:\n%s\nwant:\n%s", got, want)
			}
			if got, want := toc.String(), sections["toc.txt"]; got != want {
				t.Errorf("TOC:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Données personnelles":  "données-personnelles",
		"How we use data (1.2)": "how-we-use-data-1-2",
		"個人情報の利用目的":             "個人情報の利用目的",
		"ข้อมูลส่วนบุคคล":       "ข้อมูลส่วนบุคคล",
		"Oʻzbek tili":           "oʻzbek-tili",
		"  --  ":                "",
		"snake_case":            "snake_case",
	} {
		if got := Slug([]byte(in)); got != want {
			t.Errorf("Slug(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestDangerous(t *testing.T) {
	for in, want := range map[string]bool{
		"javascript:alert(1)":        true,
		"JavaScript:alert(1)":        true,
		" java\tscript:x":            true,
		"vbscript:x":                 true,
		"data:text/html,<script>":    true,
		"data:image/png;base64,AAA":  false,
		"https://example.com/":       false,
		"cookies.md#a":               false,
		"javascript%3Aalert(1)":      true,
		"mailto:privacy@example.com": false,
		"sCript:0":                   true,
		"livescript:x":               true,
		"mocha:x":                    true,
		"tel:+441234":                false,
		"https://x.test/script:y":    false,
		"notes/script:y.md":          false,
	} {
		if got := Dangerous(in); got != want {
			t.Errorf("Dangerous(%q) = %v; want %v", in, got, want)
		}
	}
}

// TestSplitPlain holds the fast path of SplitPageLink and IsPageLink to
// url.Parse's answers.
func TestSplitPlain(t *testing.T) {
	for _, dest := range []string{
		"privacy.md", "../en/privacy.md#your-rights", "a/b.md#", "#top", "", "/abs.md",
		"//host/x.md", "a.md#x#y", "a%20b.md", "a.md?x=1", "https://e.com/a.md", "mailto:x@y",
		"a b.md", "ü.md", "a.md#ü", "a.md#s-1_2.3~", "./a.md", "a.MD",
	} {
		p, f, ok := splitPlain(dest)
		u, err := url.Parse(dest)
		if !ok {
			continue
		}
		if err != nil || u.Scheme != "" || u.Host != "" || u.RawQuery != "" || p != u.Path || f != u.Fragment {
			t.Errorf("splitPlain(%q) = %q, %q; url.Parse gives path %q fragment %q (%v)", dest, p, f, u.Path, u.Fragment, err)
		}
	}
	for dest, want := range map[string]bool{"privacy.md": true, "../a.md#x": true, "/a.md": false, "//h/a.md": false, "a.md?x": true, "https://e.com/a.md": false, "a.html": false} {
		if got := IsPageLink(dest); got != want {
			t.Errorf("IsPageLink(%q) = %t; want %t", dest, got, want)
		}
	}
}

// TestHeadingIDs holds each algorithm to what its tool produces.
func TestHeadingIDs(t *testing.T) {
	for _, c := range []struct {
		algo HeadingIDs
		in   string
		want string
	}{
		{IDsGitHub, "Kobold.cpp", "koboldcpp"},
		{IDsGitHub, "Données personnelles", "données-personnelles"},
		{IDsGitHub, "個人情報の利用目的", "個人情報の利用目的"},
		{IDsGitHub, "ข้อมูลส่วนบุคคล", "ข้อมูลส่วนบุคคล"},
		{IDsGitHub, "How we use data (1.2)", "how-we-use-data-12"},
		{IDsGitHub, "Foo -- bar", "foo----bar"},
		{IDsGitHub, "snake_case", "snake_case"},
		{IDsGitHub, "See [the policy](privacy.md)", "see-the-policy"},
		{IDsGitHub, "Note[^1] <b>bold</b>", "note-bold"},
		{IDsGitHub, `Escaped \*star\*`, "escaped-star"},
		{IDsGitHub, "Ⅻ ²", "ⅻ-"},
		{IDsGitHub, "😄 emoji", "-emoji"},
		{IDsGitHub, "Привет non-latin 你好", "привет-non-latin-你好"},
		{IDsGitHub, "a b – c", "ab--c"},
		{IDsHugo, "ข้อมูลส่วนบุคคล", "ขอมลสวนบคคล"},
		{IDsHugo, "Kobold.cpp", "koboldcpp"},
		{IDsHugo, "Ⅻ ²", "-"},
		{IDsPython, "Données personnelles", "donnees-personnelles"},
		{IDsPython, "Foo -- bar", "foo-bar"},
		{IDsPython, "個人情報", ""},
		{IDsPython, "How we use data (1.2)", "how-we-use-data-12"},
		{IDsPythonUnicode, "Données personnelles", "données-personnelles"},
		{IDsPythonUnicode, "個人情報 の 取り扱い", "個人情報-の-取り扱い"},
		{IDsPythonUnicode, "ข้อมูล", "ขอมล"},
		{IDsPythonUnicode, "Ｆｕｌｌwidth", "fullwidth"},
		{IDsCompact, "How we use data (1.2)", "how-we-use-data-1-2"},
		{IDsCompact, "Kobold.cpp", "kobold-cpp"},
	} {
		if got := c.algo.Slug([]byte(c.in)); got != c.want {
			t.Errorf("%s.Slug(%q) = %q; want %q", c.algo, c.in, got, c.want)
		}
	}
	for _, name := range []string{"", "github", "GitHub", "docusaurus", "hugo", "mkdocs", "python-markdown", "mkdocs-unicode", "python-markdown-unicode", "compact"} {
		if _, err := ParseHeadingIDs(name); err != nil {
			t.Errorf("ParseHeadingIDs(%q): %v", name, err)
		}
	}
	if _, err := ParseHeadingIDs("gitlab"); err == nil {
		t.Error(`ParseHeadingIDs("gitlab") succeeded`)
	}
}

// TestDuplicateIDs numbers duplicates as each tool does, skipping IDs
// taken explicitly anywhere on the page.
func TestDuplicateIDs(t *testing.T) {
	for _, c := range []struct {
		algo HeadingIDs
		src  string
		want []string
	}{
		{IDsGitHub, "## Same\n## Same\n## Same {#same-1}\n## Same\n", []string{"same", "same-2", "same-1", "same-3"}},
		{IDsPython, "## Same\n## Same\n## 個人\n## 個人\n", []string{"same", "same_1", "_1", "_2"}},
		{IDsGitHub, "## !!!\n## ???\n", []string{"section", "section-1"}},
		{IDsGitHub, "## A {: #b }\n## B\n", []string{"b", "b-1"}},
	} {
		var got []string
		for _, h := range New(Options{HeadingIDs: c.algo}).Outline([]byte(c.src)) {
			got = append(got, h.ID)
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%s IDs of %q = %q; want %q", c.algo, c.src, got, c.want)
		}
	}
}

// TestIDsLinear checks that generating n duplicate IDs costs work
// linear in n: the number of map probes per heading stays constant.
func TestIDsLinear(t *testing.T) {
	var g *ids
	allocs := testing.AllocsPerRun(1, func() {
		g = newIDs(IDsGitHub)
		for range 20_000 {
			g.generate([]byte("Same"))
		}
	})
	if len(g.used) != 20_000 || g.next["same"] != 20_000 {
		t.Errorf("after 20,000 headings: %d IDs, next suffix %d", len(g.used), g.next["same"])
	}
	if allocs > 200_000 {
		t.Errorf("20,000 IDs took %.0f allocations", allocs)
	}
}

// TestAttributeLists renders each form of kramdown / Python-Markdown
// attribute list: what it sets, and that none of it is printed.
func TestAttributeLists(t *testing.T) {
	md := New(Options{})
	for _, c := range []struct{ in, want string }{
		{"## A {: #x }\n", `<h2 id="x">A</h2>` + "\n"},
		{"## A {:#x .c1 .c2 lang=fr}\n", `<h2 id="x" class="c1 c2" lang="fr">A</h2>` + "\n"},
		{"## A {: .c }\n", `<h2 class="c" id="a">A</h2>` + "\n"},
		{"Intro\n\nA\n===\n{: #set }\n", "<p>Intro</p>\n" + `<h1 id="set">A</h1>` + "\n"},
		{"## A {#x after=\"y\"}\n", `<h2 id="x">A</h2>` + "\n"},
		{"## A {: not an ial }\n", `<h2 id="a--not-an-ial-">A {: not an ial }</h2>` + "\n"},
		{"Para\n{: #p }\n", `<p id="p">Para</p>` + "\n"},
		{"Para {: #p }\n", `<p id="p">Para</p>` + "\n"},
		{"Two\nlines {: .x }\n", "<p class=\"x\">Two\nlines</p>\n"},
		{"- item\n{: .li }\n", "<ul>\n<li class=\"li\">item</li>\n</ul>\n"},
		{"> quote\n\n{: .q }\n", "<blockquote class=\"q\"><p>quote</p>\n</blockquote>\n"},
		{"*em*{: lang=es } text\n", `<p><em lang="es">em</em> text</p>` + "\n"},
		{"`code`{: .c }\n", `<p><code class="c">code</code></p>` + "\n"},
		{"Text {: onclick=\"x()\" style=\"a\" datetime=\"d\" }\n", "<p>Text</p>\n"},
		{"Mid {: .x } text\n", "<p>Mid {: .x } text</p>\n"},
		{"`{: .x }`\n", "<p><code>{: .x }</code></p>\n"},
	} {
		res, err := md.Render([]byte(c.in), RenderOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if string(res.HTML) != c.want {
			t.Errorf("Render(%q) = %q; want %q", c.in, res.HTML, c.want)
		}
	}
}

// TestTableAlign: column alignment is a class the theme styles, never a
// style attribute, which the pages' Content-Security-Policy blocks.
func TestTableAlign(t *testing.T) {
	res, err := New(Options{}).Render([]byte("| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n"), RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := string(res.HTML)
	for _, want := range []string{`<th class="align-left">a</th>`, `<th class="align-center">b</th>`, `<td class="align-right">3</td>`, "<td>4</td>"} {
		if !strings.Contains(got, want) {
			t.Errorf("Render lacks %s:\n%s", want, got)
		}
	}
	if strings.Contains(got, "style=") {
		t.Errorf("Render wrote a style attribute:\n%s", got)
	}
}
