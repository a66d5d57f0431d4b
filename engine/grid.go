package engine

import (
	"cmp"
	"math"
	"slices"
)

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

// rowRadiusKm[r] bounds the distance from the centre of a cell of row r to any point in it.
var rowRadiusKm = func() (t [gridRows]float64) {
	for r := range t {
		t[r] = radiusKm(gridLat0+(float64(r)+0.5)*cellDeg, cellDeg/2, cellDeg/2)
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

// Blocks of 8 × 8 cells are classified first, the same way, so that a
// search computes one distance per block for most of the city and one per
// cell only along the edge of its reach.
const (
	blockCells = 8
	blockRows  = (gridRows + blockCells - 1) / blockCells
	blockCols  = (gridCols + blockCells - 1) / blockCells
)

// blockOf is the block of a cell; the overflow cell has none (-1).
func blockOf(cell int32) int32 {
	if cell == overflowCell {
		return -1
	}
	r, c := cell/gridCols, cell%gridCols
	return r/blockCells*blockCols + c/blockCells
}

// radiusKm bounds the distance from the centre of a lat/lon rectangle (half
// sizes in degrees, padded) to any point of it: hav(d/R) = hav(Δφ) + cos φ₁ cos φ₂ hav(Δλ)
// with |Δφ|, |Δλ| at most the half sizes and both cosines at most the cosine
// of the latitude nearest the equator.
func radiusKm(centreLat, halfLat, halfLon float64) float64 {
	hav := func(x float64) float64 { s := math.Sin(x / 2); return s * s }
	hLat, hLon := (halfLat+cellPadDeg)*degToRad, (halfLon+cellPadDeg)*degToRad
	c := math.Cos(math.Max(0, math.Abs(centreLat)*degToRad-hLat))
	a := hav(hLat) + c*c*hav(hLon)
	return 2*EarthRadiusKm*math.Asin(math.Min(1, math.Sqrt(a)))*(1+1e-9) + 1e-6
}

// blockCentres and blockRadiusKm describe each block's full 8 × 8 extent.
var blockCentres, blockRadiusKm = func() ([]cellCentre, [blockRows]float64) {
	t := make([]cellCentre, blockRows*blockCols)
	var rad [blockRows]float64
	half := blockCells * cellDeg / 2
	for r := range blockRows {
		lat := gridLat0 + float64(r)*blockCells*cellDeg + half
		rad[r] = radiusKm(lat, half, half)
		for c := range blockCols {
			t[r*blockCols+c] = cellCentre{lat, gridLon0 + float64(c)*blockCells*cellDeg + half, cosLat(lat)}
		}
	}
	return t, rad
}()

// cellRef is a cell a search must visit; inside says every point in it is
// within reach, lb is a lower bound in km on the distance to any point in it.
type cellRef struct {
	cell   int32
	inside bool
	lb     float64
}

// blockRef is a block within reach and its distance bounds.
type blockRef struct {
	block  int32
	d, rad float64
}

// cellsWithin lists the non-empty cells that may hold points within reach km
// of a point, nearest blocks first, appending to buf. blockN counts the points
// of each block. The overflow cell is listed, never inside, whenever it holds points.
func cellsWithin[T any](cells [][]T, blockN []int32, lat, lon, cos, reach float64, buf []cellRef, blocks []blockRef) ([]cellRef, []blockRef) {
	if len(cells[overflowCell]) > 0 {
		buf = append(buf, cellRef{cell: overflowCell})
	}
	if reach < 0 {
		return buf, blocks
	}
	margin := geoMargin(reach)
	for b := range blockRows * blockCols {
		if blockN[b] == 0 {
			continue
		}
		bcc := &blockCentres[b]
		d := haversine(lat, lon, cos, bcc.lat, bcc.lon, bcc.cos)
		rad := blockRadiusKm[b/blockCols]
		if d-rad > reach+margin {
			continue
		}
		blocks = append(blocks, blockRef{int32(b), d, rad})
	}
	slices.SortFunc(blocks, func(a, b blockRef) int { return cmp.Compare(a.d-a.rad, b.d-b.rad) })
	for _, blk := range blocks {
		br, bc := int(blk.block)/blockCols, int(blk.block)%blockCols
		d, rad := blk.d, blk.rad
		inside := d+rad <= reach-margin
		blockLB := max(0, d-rad)
		for r := br * blockCells; r < min(gridRows, (br+1)*blockCells); r++ {
			for c := bc * blockCells; c < min(gridCols, (bc+1)*blockCells); c++ {
				cell := r*gridCols + c
				if len(cells[cell]) == 0 {
					continue
				}
				if inside {
					buf = append(buf, cellRef{cell: int32(cell), inside: true, lb: blockLB})
					continue
				}
				cc := &cellCentres[cell]
				d := haversine(lat, lon, cos, cc.lat, cc.lon, cc.cos)
				if rad := rowRadiusKm[r]; d-rad <= reach+margin {
					buf = append(buf, cellRef{cell: int32(cell), inside: d+rad <= reach-margin, lb: max(0, d-rad)})
				}
			}
		}
	}
	return buf, blocks
}

func clampInt(v, lo, hi int) int { return min(max(v, lo), hi) }

// cellBounds gives the distance from a point to a cell's centre and the cell's radius.
func cellBounds(cell int32, lat, lon, cos float64) (d, rad float64) {
	cc := &cellCentres[cell]
	return haversine(lat, lon, cos, cc.lat, cc.lon, cc.cos), rowRadiusKm[cell/gridCols]
}
