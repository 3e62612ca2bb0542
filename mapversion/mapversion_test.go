package mapversion

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	cases := map[string]struct {
		in   string
		want [4]int
		err  bool
	}{
		"plain":         {in: "1.0.0.12", want: [4]int{1, 0, 0, 12}},
		"spaces":        {in: " 1.0.2.3 ", want: [4]int{1, 0, 2, 3}},
		"largest":       {in: "65535.0.0.65535", want: [4]int{65535, 0, 0, 65535}},
		"three parts":   {in: "1.0.0", err: true},
		"five parts":    {in: "1.0.0.0.1", err: true},
		"too big":       {in: "1.0.0.65536", err: true},
		"negative":      {in: "1.0.0.-1", err: true},
		"prerelease":    {in: "1.0.0.1-beta", err: true},
		"letters":       {in: "1.a.0.1", err: true},
		"empty part":    {in: "1..0.1", err: true},
		"leading v":     {in: "v1.0.0.1", err: true},
		"empty":         {in: "", err: true},
		"sentinel 9999": {in: "9.9.9.9", want: [4]int{9, 9, 9, 9}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			v, err := Parse(tc.in)
			if (err != nil) != tc.err {
				t.Fatalf("error %v, want error %v", err, tc.err)
			}
			if err == nil {
				if diff := cmp.Diff(tc.want, Parts(v)); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestOrder(t *testing.T) {
	a, _ := Parse("1.0.0.9")
	b, _ := Parse("1.0.0.12")
	if !a.LessThan(b) || String(Parts(b)) != "1.0.0.12" {
		t.Errorf("1.0.0.9 < 1.0.0.12 = %v; String = %s", a.LessThan(b), String(Parts(b)))
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1.0.0.12", "9.9.9.9", "1.0.0", "1.2.3.4.5", "65536.0.0.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Parse(s)
		if err != nil {
			return
		}
		again, err := Parse(String(Parts(v)))
		if err != nil || !again.Equal(v) {
			t.Errorf("%q: the rendered form %q does not read back (%v)", s, String(Parts(v)), err)
		}
	})
}
