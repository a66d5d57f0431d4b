package engine

import (
	"testing"

	"pgregory.net/rapid"
)

// TestCellsWithin checks the grid's promises point by point: every point
// within reach lies in a listed cell, every point of an inside cell is within
// reach, and no point is nearer than its cell's lower bound.
func TestCellsWithin(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		cells := make([][]Geo, gridCells+1)
		blockN := make([]int32, blockRows*blockCols)
		var points []Geo
		for i := range rapid.IntRange(1, 300).Draw(t, "n") {
			g := genGeo(t, "p"+string(rune('a'+i%26))+string(rune('a'+i/26%26)))
			if rapid.IntRange(0, 9).Draw(t, "far") == 0 { // anywhere in the grid, edges included
				g = Geo{Lat: rapid.Float64Range(MinLat-0.01, MaxLat+0.01).Draw(t, "lat"), Lon: rapid.Float64Range(MinLon-0.01, MaxLon+0.01).Draw(t, "lon")}
			}
			points = append(points, g)
			c := cellOf(g.Lat, g.Lon)
			cells[c] = append(cells[c], g)
			if b := blockOf(c); b >= 0 {
				blockN[b]++
			}
		}
		from := genGeo(t, "from")
		reach := rapid.SampledFrom([]float64{-1, 0, 0.3, 1, 2.5, 7, 18.5, 30, 60, 200}).Draw(t, "reach")
		refs, _ := cellsWithin(cells, blockN, from.Lat, from.Lon, cosLat(from.Lat), reach, nil, nil)
		listed := map[int32]cellRef{}
		for _, r := range refs {
			if _, dup := listed[r.cell]; dup {
				t.Fatalf("cell %d listed twice", r.cell)
			}
			listed[r.cell] = r
		}
		for _, p := range points {
			d := HaversineKm(from, p)
			c := cellOf(p.Lat, p.Lon)
			r, ok := listed[c]
			if d <= reach && !ok {
				t.Fatalf("point %v at %.6f km ≤ %.3f lies in unlisted cell %d", p, d, reach, c)
			}
			if ok && r.inside && d > reach {
				t.Fatalf("point %v at %.6f km > %.3f lies in inside cell %d", p, d, reach, c)
			}
			if ok && r.lb > d {
				t.Fatalf("point %v at %.6f km is nearer than its cell's bound %.6f", p, d, r.lb)
			}
		}
	})
}

func TestCellOfEdges(t *testing.T) {
	t.Parallel()
	for _, g := range []Geo{{MinLat, MinLon}, {MaxLat, MaxLon}, {MinLat - 1e-9, MinLon}, {MaxLat + 0.02, MaxLon}, {0, 0}} {
		c := cellOf(g.Lat, g.Lon)
		if c < 0 || c > overflowCell {
			t.Errorf("cellOf(%v) = %d", g, c)
		}
	}
	if cellOf(MinLat-1e-9, MinLon) != overflowCell || cellOf(MaxLat, MaxLon) == overflowCell {
		t.Error("grid edges")
	}
}
