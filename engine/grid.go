package engine

import "math"

// The geo grid buckets sites and homes into 0.01° cells over Shanghai's
// bounding box (131 × 141 cells, about 1.1 × 0.95 km), plus one overflow cell
// for points outside it, which every search checks point by point.
//
// A search classifies each cell near the query point with the distance d to
// the cell's centre and a radius r that bounds the distance from the centre to
// any point of the cell: by the triangle inequality of great-circle distance,
// every point of the cell lies within [d − r, d + r]. Cells with d − r beyond
// the reach are skipped, cells with d + r within it pass the commute rule
// without a distance computation, and only the cells in between are checked
// point by point with the exact rule.
const (
	gridLat0     = MinLat
	gridLon0     = MinLon
	cellDeg      = 0.01
	gridRows     = 131
	gridCols     = 141
	gridCells    = gridRows * gridCols
	overflowCell = gridCells
	cellPadDeg   = 1e-7 // covers rounding in cellOf at cell borders
)

// rowRadiusKm[r] bounds the distance from the centre of a cell of row r to any point in it:
// hav(d/R) = hav(Δφ) + cos φ₁ cos φ₂ hav(Δλ) with |Δφ|, |Δλ| at most the padded
// half sizes and both cosines at most the cosine of the lowest latitude in the cell.
var rowRadiusKm = func() (t [gridRows]float64) {
	hav := func(x float64) float64 { s := math.Sin(x / 2); return s * s }
	hLat := (cellDeg/2 + cellPadDeg) * degToRad
	hLon := (cellDeg/2 + cellPadDeg) * degToRad
	for r := range t {
		lat := math.Abs(gridLat0+(float64(r)+0.5)*cellDeg) * degToRad
		c := math.Cos(math.Max(0, lat-hLat))
		a := hav(hLat) + c*c*hav(hLon)
		t[r] = 2*EarthRadiusKm*math.Asin(math.Min(1, math.Sqrt(a)))*(1+1e-9) + 1e-6
	}
	return t
}()

// cellCentre is the centre of a grid cell and the cosine of its latitude.
type cellCentre struct{ lat, lon, cos float64 }

var cellCentres = func() []cellCentre {
	t := make([]cellCentre, gridCells)
	for r := range gridRows {
		lat := gridLat0 + (float64(r)+0.5)*cellDeg
		cos := cosLat(lat)
		for c := range gridCols {
			t[r*gridCols+c] = cellCentre{lat, gridLon0 + (float64(c)+0.5)*cellDeg, cos}
		}
	}
	return t
}()

// cellOf is the cell of a point, overflowCell outside the grid.
func cellOf(lat, lon float64) int32 {
	r := math.Floor((lat - gridLat0) / cellDeg)
	c := math.Floor((lon - gridLon0) / cellDeg)
	if !(r >= 0 && r < gridRows && c >= 0 && c < gridCols) {
		return overflowCell
	}
	return int32(r)*gridCols + int32(c)
}

// geoMargin keeps cell decisions clear of rounding in the distance and commute arithmetic.
func geoMargin(reach float64) float64 { return 1e-6 + math.Abs(reach)*1e-9 }

// cellRef is a cell a search must visit; inside says every point in it is within reach.
type cellRef struct {
	cell   int32
	inside bool
}

// cellsWithin lists the cells that may hold points within reach km of a point,
// appending to buf; the overflow cell is always listed, never inside.
func cellsWithin(lat, lon, cos, reach float64, buf []cellRef) []cellRef {
	buf = append(buf, cellRef{cell: overflowCell})
	if reach < 0 {
		return buf
	}
	margin := geoMargin(reach)
	ang := (reach + margin) / EarthRadiusKm
	// Rows: a point at latitude φ' is at least R·|φ − φ'| away.
	dLat := ang / degToRad
	r0 := clampInt(int(math.Floor((lat-dLat-gridLat0)/cellDeg))-1, 0, gridRows-1)
	r1 := clampInt(int(math.Floor((lat+dLat-gridLat0)/cellDeg))+1, 0, gridRows-1)
	// Columns: a meridian Δλ away is at least R·asin(cos φ · sin Δλ) away.
	c0, c1 := 0, gridCols-1
	if s := math.Sin(ang) / cos; ang < math.Pi/2 && cos > 0 && s < 1 {
		dLon := math.Asin(s) / degToRad
		c0 = clampInt(int(math.Floor((lon-dLon-gridLon0)/cellDeg))-1, 0, gridCols-1)
		c1 = clampInt(int(math.Floor((lon+dLon-gridLon0)/cellDeg))+1, 0, gridCols-1)
	}
	for r := r0; r <= r1; r++ {
		rad := rowRadiusKm[r]
		for c := c0; c <= c1; c++ {
			cell := r*gridCols + c
			cc := &cellCentres[cell]
			d := haversine(lat, lon, cos, cc.lat, cc.lon, cc.cos)
			if d-rad > reach+margin {
				continue
			}
			buf = append(buf, cellRef{cell: int32(cell), inside: d+rad <= reach-margin})
		}
	}
	return buf
}

func clampInt(v, lo, hi int) int { return min(max(v, lo), hi) }

// cellBounds gives the distance from a point to a cell's centre and the cell's radius.
func cellBounds(cell int32, lat, lon, cos float64) (d, rad float64) {
	cc := &cellCentres[cell]
	return haversine(lat, lon, cos, cc.lat, cc.lon, cc.cos), rowRadiusKm[cell/gridCols]
}
