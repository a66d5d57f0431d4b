package engine

import "math"

// Commute constants of DESIGN §4.
const (
	// EarthRadiusKm is the sphere radius of the haversine distance.
	EarthRadiusKm = 6371.0
	// DetourFactor turns straight-line distance into distance travelled on streets.
	DetourFactor = 1.3
	// HybridLimitFactor stretches a seeker's commute limit for hybrid posts, travelled on fewer days.
	HybridLimitFactor = 1.5
	// ShortCommuteMinutes is the commute that scores full marks.
	ShortCommuteMinutes = 15.0
)

// Travel is a way of getting to work: an average speed and a fixed overhead
// (walking to the stop, waiting, parking, booking).
type Travel struct {
	Mode        string
	Zh          string
	SpeedKmh    float64
	OverheadMin float64
}

// travels lists the modes in the order of TravelModes; a seeker's modes are a bit mask over it.
var travels = [...]Travel{
	{"walk", "步行", 4.5, 0},
	{"wheelchair", "轮椅", 3.5, 0},
	{"bus", "公交", 15, 10},
	{"metro", "地铁", 30, 12},
	{"car", "驾车", 25, 5},
	{"accessible-taxi", "无障碍出租车", 25, 15},
}

// TravelFor returns the speed and overhead of a travel mode.
func TravelFor(mode string) (Travel, bool) {
	for _, t := range travels {
		if t.Mode == mode {
			return t, true
		}
	}
	return Travel{}, false
}

const degToRad = math.Pi / 180

// haversine is the great-circle distance in km; cos1 and cos2 are the cosines
// of the latitudes, kept with the compact records so they are computed once.
// Every path of the engine computes distance here, so the brute force and the
// pruned search see bit-identical values.
func haversine(lat1, lon1, cos1, lat2, lon2, cos2 float64) float64 {
	sLat := math.Sin((lat2 - lat1) * degToRad / 2)
	sLon := math.Sin((lon2 - lon1) * degToRad / 2)
	a := float64(sLat*sLat) + float64(cos1*cos2*sLon*sLon)
	if a > 1 {
		a = 1
	}
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(a))
}

func cosLat(lat float64) float64 { return math.Cos(lat * degToRad) }

// HaversineKm is the great-circle distance between two points in km (R = 6371.0).
func HaversineKm(a, b Geo) float64 {
	return haversine(a.Lat, a.Lon, cosLat(a.Lat), b.Lat, b.Lon, cosLat(b.Lat))
}

// modeMask turns travel mode names into a bit mask over travels; unknown names are ignored.
func modeMask(modes []string) uint8 {
	var m uint8
	for _, name := range modes {
		for i, t := range travels {
			if t.Mode == name {
				m |= 1 << i
			}
		}
	}
	return m
}

// travelMinutes is the fastest door-to-door time over the modes in mask and
// the index of that mode; +Inf and -1 when the mask is empty.
func travelMinutes(km float64, mask uint8) (float64, int8) {
	best, mode := math.Inf(1), int8(-1)
	for i := range travels {
		if mask&(1<<i) == 0 {
			continue
		}
		t := &travels[i]
		if m := t.OverheadMin + float64(km*DetourFactor/t.SpeedKmh*60); m < best {
			best, mode = m, int8(i)
		}
	}
	return best, mode
}

// CommuteMinutes estimates the time from home to site with the fastest of
// modes: overhead + km × 1.3 / speed × 60. It returns +Inf and "" when no mode is known.
func CommuteMinutes(home, site Geo, modes []string) (float64, string) {
	m, i := travelMinutes(HaversineKm(home, site), modeMask(modes))
	if i < 0 {
		return m, ""
	}
	return m, travels[i].Mode
}

// reachKm is the farthest straight-line distance any mode in mask covers
// within limit minutes, or -1 when no mode can (its overhead alone is too long).
// It bounds the geo search; the commute rule itself is always decided by travelMinutes.
func reachKm(limit float64, mask uint8) float64 {
	r := -1.0
	for i := range travels {
		t := &travels[i]
		if mask&(1<<i) == 0 || limit < t.OverheadMin {
			continue
		}
		if v := (limit - t.OverheadMin) * t.SpeedKmh / (DetourFactor * 60); v > r {
			r = v
		}
	}
	return r
}

// commuteFactor scores the commute: 1 when remote or short, falling linearly to 0 at the limit.
func commuteFactor(remote bool, minutes, limit float64) float64 {
	if remote || minutes <= ShortCommuteMinutes || limit <= ShortCommuteMinutes {
		return 1
	}
	return math.Max(0, (limit-minutes)/(limit-ShortCommuteMinutes))
}
