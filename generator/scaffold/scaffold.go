// Package scaffold writes the files of a new site — site.toml, and a
// privacy policy, cookie policy, terms of use and home page for each
// language — and adds pages to an existing site.
//
// The pages are skeletons: page titles and section headings in the
// language of each base, each heading with the stable {#id} every
// translation shares, and a paragraph under each heading that says, in
// the same language, that it is a placeholder to replace. The headings
// come from lang/<language>.toml; a language without such a file gets
// the English headings and a note saying so.
package scaffold

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"

	"policysite/generator/config"
	"policysite/generator/locale"
)

//go:embed files/*.tmpl lang/*.toml
var files embed.FS

// templates holds the parsed files/*.tmpl; parsing embedded files that
// tests parse too cannot fail at run time.
var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"toml": tomlString,
	"yaml": yamlString,
	// t is replaced per page with the page's language.
	"t": func(string) string { return "" },
}).ParseFS(files, "files/*.tmpl"))

// termsSections are the terms of use's sections, in order.
var termsSections = []string{
	"acceptance", "use-of-site", "intellectual-property", "user-content", "third-party-links",
	"disclaimer", "liability", "governing-law", "changes", "contact",
}

// Options describe a new site.
type Options struct {
	// Dir is the folder to create the site in. It must be empty or
	// missing unless Force is set.
	Dir string
	// Locales are the published locales' BCP 47 tags, in the form the
	// build accepts ("en", "de-DE", "zh-Hans-CN"). Default ["en"].
	Locales []string
	// Name is the organisation's name: the site's title and copyright
	// holder. Default: the base name of Dir.
	Name string
	// Force writes into a non-empty Dir, replacing the files the
	// scaffold writes and leaving every other file alone.
	Force bool
	// Date is the pages' lastmod. Default: today.
	Date time.Time
}

// Site writes a new site and returns the paths of the files it wrote,
// relative to opts.Dir, sorted.
func Site(opts Options) ([]string, error) {
	if len(opts.Locales) == 0 {
		opts.Locales = []string{"en"}
	}
	if opts.Name == "" {
		abs, err := filepath.Abs(opts.Dir)
		if err != nil {
			return nil, err
		}
		opts.Name = filepath.Base(abs)
	}
	if strings.ContainsFunc(opts.Name, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return nil, fmt.Errorf("--name %q: the name must be one line of text", opts.Name)
	}
	if opts.Date.IsZero() {
		opts.Date = time.Now()
	}
	plan, err := newPlan(opts.Locales)
	if err != nil {
		return nil, err
	}
	if err := checkEmpty(opts.Dir, opts.Force); err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "site.toml.tmpl", map[string]any{
		"Name": opts.Name, "Default": plan.defaultTag, "Published": plan.published, "Bases": plan.bases,
	}); err != nil {
		return nil, err
	}
	out[config.FileName] = buf.Bytes()
	out[".gitignore"] = []byte("# The build's output: policysite build writes it, policysite serve needs none.\n/public/\n" +
		"# What policysite build keeps between builds (the build stamp, the git history it read).\n/.policysite-*/\n")
	for _, base := range plan.contentBases() {
		p, err := newPage(base, opts.Date)
		if err != nil {
			return nil, err
		}
		for _, name := range []string{"_index", "privacy", "cookies", "terms"} {
			data, err := p.execute(name+".md.tmpl", nil)
			if err != nil {
				return nil, err
			}
			out[path.Join("content", base, name+".md")] = data
		}
	}
	return write(opts.Dir, out, opts.Force)
}

// A plan is the locale layout of a new site.
type plan struct {
	published []published
	// bases are the unpublished language bases, sorted.
	bases      []string
	defaultTag string
}

type published struct {
	Tag string
	// Fallback is set when the locale's base is not the language-only
	// locale the build would pick by itself (zh-TW → zh-Hant).
	Fallback string
}

// newPlan validates tags as the build does and works out each one's
// language base: the locale holding the full text in its language.
func newPlan(tags []string) (*plan, error) {
	p := &plan{}
	seen := map[string]bool{}
	var errs []error
	for _, raw := range tags {
		tag, err := config.CheckTag(strings.TrimSpace(raw))
		if err != nil {
			errs = append(errs, fmt.Errorf("--locales: %w", err))
			continue
		}
		if seen[tag] {
			errs = append(errs, fmt.Errorf("--locales: %q is listed twice", tag))
			continue
		}
		seen[tag] = true
		p.published = append(p.published, published{Tag: tag})
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for i, pub := range p.published {
		base := baseOf(pub.Tag)
		if base == pub.Tag {
			continue
		}
		if lang, _ := language.Make(base).Base(); base != lang.String() {
			p.published[i].Fallback = base
		}
		if !seen[base] && !slices.Contains(p.bases, base) {
			p.bases = append(p.bases, base)
		}
	}
	slices.Sort(p.bases)
	// The x-default is the first region-neutral locale, else the first.
	p.defaultTag = p.published[0].Tag
	for _, pub := range p.published {
		if baseOf(pub.Tag) == pub.Tag {
			p.defaultTag = pub.Tag
			break
		}
	}
	return p, nil
}

// contentBases returns the locales whose folders hold full texts: the
// region-neutral published locales and the unpublished bases, sorted.
func (p *plan) contentBases() []string {
	out := slices.Clone(p.bases)
	for _, pub := range p.published {
		if baseOf(pub.Tag) == pub.Tag {
			out = append(out, pub.Tag)
		}
	}
	slices.Sort(out)
	return out
}

// baseOf returns the language base of tag: its language, with the script
// when that is not the language's usual one (zh-TW → zh-Hant, sr-Latn-RS
// → sr-Latn), since a text in one script cannot stand in for the other.
func baseOf(tag string) string {
	t := language.Make(tag)
	lang, _ := t.Base()
	script, _ := t.Script()
	usual, _ := language.Make(lang.String()).Script()
	if script != usual {
		return lang.String() + "-" + script.String()
	}
	return lang.String()
}

// checkEmpty refuses a folder with files in it, other than hidden ones
// such as .git, unless force is set.
func checkEmpty(dir string, force bool) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if force {
		return nil
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			return fmt.Errorf("%s is not empty (it holds %s); choose a new folder, or pass --force to write the new site's files into it", dir, e.Name())
		}
	}
	return nil
}

// write writes files below dir. A hidden file that exists already (a
// .gitignore) is kept unless force is set.
func write(dir string, files map[string][]byte, force bool) ([]string, error) {
	var names []string
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if strings.HasPrefix(name, ".") && !force {
			if _, err := os.Lstat(p); err == nil {
				continue
			}
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	slices.Sort(names)
	return names, nil
}

// PageOptions describe a page to add to an existing site.
type PageOptions struct {
	// SiteDir is the site root. Default ".".
	SiteDir string
	// Path is the page's path below each locale's folder, with or without
	// ".md": "accessibility", "legal/imprint".
	Path string
	// Title is the page's title in every base. Default: Path's last
	// element, capitalised, with '-' and '_' as spaces.
	Title string
	// Date is the page's lastmod. Default: today.
	Date time.Time
}

// Page adds a page to every language base of the site at opts.SiteDir:
// each locale that does not inherit its text from another locale of its
// language. It returns the files written, relative to SiteDir, and
// writes none if one of them exists.
func Page(opts PageOptions) ([]string, error) {
	if opts.SiteDir == "" {
		opts.SiteDir = "."
	}
	if opts.Date.IsZero() {
		opts.Date = time.Now()
	}
	rel, err := pagePath(opts.Path)
	if err != nil {
		return nil, err
	}
	if opts.Title == "" {
		opts.Title = titleFromPath(rel)
	}
	cfg, err := config.Load(opts.SiteDir)
	if err != nil {
		return nil, err
	}
	locs, err := locale.New(cfg)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	var exist []string
	for _, l := range locs.All {
		if len(l.Chain) > 1 && locale.SameLanguage(l, locs.Get(l.Chain[1])) {
			continue // inherits its text
		}
		name := path.Join("content", l.Tag, rel+".md")
		if _, err := os.Lstat(filepath.Join(opts.SiteDir, filepath.FromSlash(name))); err == nil {
			exist = append(exist, name)
			continue
		}
		p, err := newPage(l.Tag, opts.Date)
		if err != nil {
			return nil, err
		}
		if out[name], err = p.execute("page.md.tmpl", map[string]any{"Title": opts.Title}); err != nil {
			return nil, err
		}
	}
	if len(exist) > 0 {
		slices.Sort(exist)
		verb := "exists"
		if len(exist) > 1 {
			verb = "exist"
		}
		return nil, fmt.Errorf("%s already %s; nothing written", strings.Join(exist, ", "), verb)
	}
	return write(opts.SiteDir, out, false)
}

// pagePath checks a page path given on the command line and returns it
// with '/' separators and without ".md".
func pagePath(p string) (string, error) {
	clean := strings.TrimSuffix(filepath.ToSlash(p), ".md")
	if clean == "" || path.IsAbs(clean) || strings.HasPrefix(clean, "content/") {
		return "", fmt.Errorf("page path %q: give the path below a locale's folder, such as \"accessibility\" or \"legal/imprint\"", p)
	}
	for _, seg := range strings.Split(clean, "/") {
		if seg == "" || seg == "." || seg == ".." || strings.HasPrefix(seg, "_") || strings.HasPrefix(seg, ".") ||
			strings.ContainsFunc(seg, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') }) {
			return "", fmt.Errorf("page path %q: each part must be lowercase letters, digits and '-' (it becomes the page's URL), such as \"accessibility\" or \"legal/imprint\"", p)
		}
	}
	return clean, nil
}

func titleFromPath(rel string) string {
	words := strings.Fields(strings.NewReplacer("-", " ").Replace(path.Base(rel)))
	if len(words) == 0 {
		return rel
	}
	words[0] = strings.ToUpper(words[0][:1]) + words[0][1:]
	return strings.Join(words, " ")
}

// A page renders the skeletons of one base.
type page struct {
	tag     string
	strings map[string]string
	// english is set when the language has no skeleton text.
	english bool
	date    string
}

func newPage(tag string, date time.Time) (*page, error) {
	p := &page{tag: tag, date: date.Format("2006-01-02")}
	data, err := files.ReadFile("lang/" + tag + ".toml")
	if errors.Is(err, fs.ErrNotExist) {
		p.english = true
		data, err = files.ReadFile("lang/en.toml")
	}
	if err != nil {
		return nil, err
	}
	if p.strings, err = readStrings(data); err != nil {
		return nil, fmt.Errorf("scaffold text for %s: %w", tag, err)
	}
	return p, nil
}

// readStrings flattens a lang/*.toml file into dotted keys.
func readStrings(data []byte) (map[string]string, error) {
	var raw map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	out := map[string]string{}
	var flatten func(prefix string, m map[string]any) error
	flatten = func(prefix string, m map[string]any) error {
		for k, v := range m {
			switch v := v.(type) {
			case string:
				out[prefix+k] = v
			case map[string]any:
				if err := flatten(prefix+k+".", v); err != nil {
					return err
				}
			default:
				return fmt.Errorf("%s%s is not a string", prefix, k)
			}
		}
		return nil
	}
	return out, flatten("", raw)
}

// languages lists the languages that have skeleton text.
func languages() []string {
	entries, _ := files.ReadDir("lang")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".toml"))
	}
	return out
}

func (p *page) execute(name string, extra map[string]any) ([]byte, error) {
	var missing []string
	t, err := templates.Clone()
	if err != nil {
		return nil, err
	}
	t.Funcs(template.FuncMap{"t": func(key string) string {
		s, ok := p.strings[key]
		if !ok {
			missing = append(missing, key)
		}
		return s
	}})
	s := p.strings
	data := map[string]any{
		"Date":          p.date,
		"Placeholder":   placeholder(s["placeholder.label"], s["placeholder.separator"], s["placeholder.text"]),
		"Note":          "",
		"CookieName":    config.Default("").Consent.CookieName,
		"TermsSections": termsSections,
	}
	if p.english {
		data["Note"] = fmt.Sprintf("\n> **Note:** policysite has no skeleton text for %q yet, so the headings below are in English. Translate them and keep each heading's `{#id}`.\n", p.tag)
	}
	for k, v := range extra {
		data[k] = v
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("scaffold text for %s lacks %s", p.tag, strings.Join(missing, ", "))
	}
	return buf.Bytes(), nil
}

// placeholder marks text as a placeholder: "**Placeholder:** Replace …".
// A separator without a space after it ("：") stays outside the bold
// span, which CommonMark would not close after punctuation followed by
// a letter.
func placeholder(label, sep, text string) string {
	if core := strings.TrimRight(sep, " "); core != sep {
		return "**" + label + core + "**" + sep[len(core):] + text
	}
	return "**" + label + "**" + sep + text
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < ' ' || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// yamlString quotes s as a YAML double-quoted scalar, whose escapes are
// a superset of TOML's.
func yamlString(s string) string { return tomlString(s) }
