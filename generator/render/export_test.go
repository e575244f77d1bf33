package render

// TemplateCopies returns how many copies of the theme's layouts r has
// made that are not in use.
func (r *Renderer) TemplateCopies() int {
	r.templates.mu.Lock()
	defer r.templates.mu.Unlock()
	return len(r.templates.free)
}

// ExecuteChanges executes the theme's changes layout for the page key of
// locale tag with d, for tests of the layout (the build's own method
// fills the page's data the same way).
func (r *Renderer) ExecuteChanges(tag, key string, d *ChangesData) ([]byte, error) {
	lr := r.locale(tag)
	p := r.opts.Pages.Pages[tag][key]
	url, _ := r.opts.Links.Page(tag, key)
	data := r.base(lr, key, url)
	data.Kind = "changes"
	data.Title = p.Doc.Meta.Title
	if h := r.opts.Markdown.Outline(p.Doc.Body); data.Title == "" && len(h) > 0 && h[0].Level == 1 {
		data.Title = h[0].Text // a file without front matter, titled by its H1
	}
	data.ContentLang, data.ContentDir = p.Source.Tag, p.Source.Dir()
	data.NoIndex = true
	data.Changes = d
	res, err := r.execute(lr, "changes", data)
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), res.HTML...), nil
}
