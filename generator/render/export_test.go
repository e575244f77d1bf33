package render

// TemplateCopies returns how many copies of the theme's layouts r has
// made that are not in use.
func (r *Renderer) TemplateCopies() int {
	r.templates.mu.Lock()
	defer r.templates.mu.Unlock()
	return len(r.templates.free)
}
