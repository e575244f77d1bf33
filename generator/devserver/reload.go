package devserver

// noteChanges records in rep which served files differ between the
// builds old and st, and whether open pages must reload: what the
// incremental path of builder.update computes at its end, for a rebuild
// that started from scratch.
func noteChanges(rep *report, old, st *state) {
	rep.changed, rep.others = diffFiles(old.files, st.files)
	rep.reload = len(rep.changed) > 0 || rep.others
}
