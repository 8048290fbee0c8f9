package subs

import (
	"reflect"
	"testing"
)

func TestConfigScan(t *testing.T) {
	src := `a = 1 # comment [[feeds]]
s = "quoted \" [[feeds]]"
l = 'literal'
m = """
[[feeds]]
x = 1
"""
arr = [
  1, # [[feeds]]
  "]",
]
[[feeds]]
url = "u"
d = 1979-05-27 07:32:00Z
[ "tbl" . 'x y' ]
k = {a = 1, b = {c = 2}}
[[feeds]]
`
	res := scanPositions(src)
	wantKeys := map[string][]int{
		"a": {1}, "s": {2}, "l": {3}, "m": {4}, "arr": {8},
		"feeds": {12, 17}, "feeds.url": {13}, "feeds.d": {14},
		"tbl": {15}, `tbl."x y"`: {15}, `tbl."x y".k`: {16}, `tbl."x y".k.a`: {16},
		`tbl."x y".k.b`: {16}, `tbl."x y".k.b.c`: {16},
	}
	if !reflect.DeepEqual(res.keys, wantKeys) {
		t.Errorf("keys:\n got %v\nwant %v", res.keys, wantKeys)
	}
	wantEntries := map[string][]int{"feeds": {12, 17}}
	if !reflect.DeepEqual(res.entries, wantEntries) {
		t.Errorf("entries = %v, want %v", res.entries, wantEntries)
	}
}
