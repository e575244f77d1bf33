# Translates every unit of an XLIFF 1.2 file with translate-toolkit, the
# library Weblate and Pootle read and write XLIFF with: each target is
# "[T] " and the source, placeholders kept. Used by TestTranslateToolkit.
import sys
from translate.storage import xliff
from translate.storage.placeables import StringElem
store = xliff.xlifffile.parsefile(sys.argv[1])
n = 0
for unit in store.unit_iter():
    if unit.isheader():
        continue
    rich = unit.rich_source
    unit.rich_target = [StringElem(["[T] "] + list(rich[0].sub))]
    n += 1
store.savefile(sys.argv[2])
print(n, "units translated", file=sys.stderr)
