package session

// values are a session's keys and values. A session holds a handful of
// keys, for which a slice searched in order beats a map: decoding one costs
// a single allocation instead of two, and Get, Set and encoding hash
// nothing. Past maxListedValues keys they move to a map, so that a session
// with many keys is not searched key by key. The zero value is empty.
type values struct {
	list []keyValue     // the pairs while m is nil; keys are unique
	m    map[string]any // all the pairs once there are many
}

type keyValue struct {
	key string
	val any
}

const maxListedValues = 16

// makeValues returns empty values with room for n pairs.
func makeValues(n int) values {
	if n > maxListedValues {
		return values{m: make(map[string]any, n)}
	}
	return values{list: make([]keyValue, 0, n)}
}

func (vs *values) len() int {
	if vs.m != nil {
		return len(vs.m)
	}
	return len(vs.list)
}

func (vs *values) get(key string) any {
	if vs.m != nil {
		return vs.m[key]
	}
	for i := range vs.list {
		if vs.list[i].key == key {
			return vs.list[i].val
		}
	}
	return nil
}

// set stores val under key, replacing the value it had.
func (vs *values) set(key string, val any) {
	if vs.m != nil {
		vs.m[key] = val
		return
	}
	for i := range vs.list {
		if vs.list[i].key == key {
			vs.list[i].val = val
			return
		}
	}
	if len(vs.list) < maxListedValues {
		vs.list = append(vs.list, keyValue{key, val})
		return
	}
	vs.m = make(map[string]any, 2*maxListedValues)
	for _, p := range vs.list {
		vs.m[p.key] = p.val
	}
	vs.m[key] = val
	vs.list = nil
}

func (vs *values) delete(key string) {
	if vs.m != nil {
		delete(vs.m, key)
		return
	}
	for i := range vs.list {
		if vs.list[i].key == key {
			last := len(vs.list) - 1
			vs.list[i] = vs.list[last]
			vs.list[last] = keyValue{} // let the value go
			vs.list = vs.list[:last]
			return
		}
	}
}

func (vs *values) clear() {
	clear(vs.m)
	clear(vs.list)
	vs.list = vs.list[:0]
}

// all yields every pair, in no particular order.
func (vs *values) all(yield func(string, any) bool) {
	if vs.m != nil {
		for k, v := range vs.m {
			if !yield(k, v) {
				return
			}
		}
		return
	}
	for _, p := range vs.list {
		if !yield(p.key, p.val) {
			return
		}
	}
}
