package session

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// A record is the decoded form of what a store keeps for one session.
type record struct {
	created    time.Time
	lastAccess time.Time
	values     values
}

// The encoded record is
//
//	version byte, created (varint unix ns), lastAccess (varint unix ns),
//	count (uvarint), then per value: key (uvarint length + bytes), tag byte,
//	payload
//
// Common basic types have hand-written payloads because gob costs several
// microseconds and dozens of allocations per record even for one string;
// every other type goes, all together, into one trailing gob blob of
// map[string]any, so custom types keep their Go type exactly as gob would.
const codecVersion = 1

const (
	tagString byte = iota + 1
	tagInt
	tagInt64
	tagBool
	tagFloat64
	tagBytes
	tagTime
	tagGob // payload: the remaining values, one gob-encoded map[string]any
)

var errCorrupt = errors.New("session: corrupted record")

// encodeRecord appends the encoding of rec to buf. Values of types gob
// cannot encode produce an error naming the key and the registration that
// fixes it.
func encodeRecord(buf []byte, rec *record) ([]byte, error) {
	buf = append(buf, codecVersion)
	buf = binary.AppendVarint(buf, rec.created.UnixNano())
	buf = binary.AppendVarint(buf, rec.lastAccess.UnixNano())
	var rest map[string]any
	// The count of hand-encoded values precedes them. It is written as if
	// every value were basic, the common case, so that the values are
	// ranged over once, and corrected below when some are not.
	countAt := len(buf)
	buf = binary.AppendUvarint(buf, uint64(rec.values.len()))
	countEnd := len(buf)
	for k, v := range rec.values.all {
		if !basic(v) {
			if rest == nil {
				rest = make(map[string]any)
			}
			rest[k] = v
			continue
		}
		buf = binary.AppendUvarint(buf, uint64(len(k)))
		buf = append(buf, k...)
		switch v := v.(type) {
		case string:
			buf = append(buf, tagString)
			buf = binary.AppendUvarint(buf, uint64(len(v)))
			buf = append(buf, v...)
		case int:
			buf = append(buf, tagInt)
			buf = binary.AppendVarint(buf, int64(v))
		case int64:
			buf = append(buf, tagInt64)
			buf = binary.AppendVarint(buf, v)
		case bool:
			b := byte(0)
			if v {
				b = 1
			}
			buf = append(buf, tagBool, b)
		case float64:
			buf = append(buf, tagFloat64)
			buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
		case []byte:
			buf = append(buf, tagBytes)
			buf = binary.AppendUvarint(buf, uint64(len(v)))
			buf = append(buf, v...)
		case time.Time:
			buf = append(buf, tagTime)
			start := len(buf)
			buf = append(buf, 0)
			var err error
			buf, err = v.AppendBinary(buf)
			if err != nil {
				return nil, fmt.Errorf("session: cannot encode time value of key %q: %w", k, err)
			}
			buf[start] = byte(len(buf) - start - 1)
		}
	}
	if rest != nil {
		count := binary.AppendUvarint(nil, uint64(rec.values.len()-len(rest)))
		buf = slices.Replace(buf, countAt, countEnd, count...)
		var b bytes.Buffer
		if err := gob.NewEncoder(&b).Encode(rest); err != nil {
			return nil, gobError(rest, err)
		}
		buf = append(buf, tagGob)
		buf = append(buf, b.Bytes()...)
	}
	return buf, nil
}

// basic reports whether v has a hand-written encoding.
func basic(v any) bool {
	switch v.(type) {
	case string, int, int64, bool, float64, []byte, time.Time:
		return true
	}
	return false
}

// gobError finds which value gob refused and says how to fix it. Gob's own
// message names the type but not the session key, which is what the
// programmer needs to find the Set call.
func gobError(values map[string]any, err error) error {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := values[k]
		if gob.NewEncoder(new(bytes.Buffer)).Encode(map[string]any{k: v}) != nil {
			return &EncodeError{Key: k, Value: v, Err: err}
		}
	}
	return &EncodeError{Err: err}
}

// An EncodeError reports a session value that could not be saved. Session
// values are encoded with encoding/gob (common basic types excepted), and gob
// must know every concrete type stored behind an interface.
type EncodeError struct {
	Key   string // the session key, "" when it could not be singled out
	Value any    // the value stored under Key
	Err   error  // gob's error
}

// Error names the key, the type and the gob.Register call that fixes it.
func (e *EncodeError) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("session: cannot encode session values: %v; register every custom type stored in the session with gob.Register in an init function", e.Err)
	}
	return fmt.Sprintf("session: cannot encode value of key %q (type %T): %v; call gob.Register(%s) in an init function, and export the fields to keep", e.Key, e.Value, e.Err, zeroLiteral(e.Value))
}

// Unwrap returns gob's error.
func (e *EncodeError) Unwrap() error { return e.Err }

// zeroLiteral spells a zero value of v's type the way a gob.Register call
// takes it, e.g. "main.Cart{}" or "&main.Cart{}".
func zeroLiteral(v any) string {
	s := fmt.Sprintf("%T", v)
	switch {
	case len(s) > 0 && s[0] == '*':
		return "&" + s[1:] + "{}"
	case len(s) > 2 && (s[:2] == "[]" || s[:3] == "map"):
		return s + "(nil)"
	}
	return s + "{}"
}

// A DecodeError reports a stored session value that this program cannot
// decode although the record is intact: its type is not registered with
// gob here, or its definition changed incompatibly. This is what a rolling
// deploy produces when the new version stores a type the old one does not
// know, so it is not treated as corruption: the record is left exactly as
// it is (never deleted, never overwritten) and the request fails, 500 by
// default, with this error, so that the instances that know the type keep
// serving the session.
type DecodeError struct {
	Type string // the type's name as gob.Register recorded it, "" when gob's error does not name one
	Err  error  // gob's error
}

// Error names the type and the fix.
func (e *DecodeError) Error() string {
	what := "a value whose type changed incompatibly"
	if e.Type != "" {
		what = fmt.Sprintf("a value of type %q, which this program has not registered with gob", e.Type)
	}
	return fmt.Sprintf("session: the stored session holds %s (%v); the record was left unchanged and the request failed. Fix: register the type with gob.Register in an init function of every version that serves these sessions, and keep its definition compatible (during a rolling deploy, the older instances meet types only the new version knows)", what, e.Err)
}

// Unwrap returns gob's error.
func (e *DecodeError) Unwrap() error { return e.Err }

// typeError returns the DecodeError for a gob error that means the data is
// intact but the type is unknown here or changed, and nil for any other
// error, which means corruption. Gob's errors have no types, only messages.
func typeError(err error) *DecodeError {
	msg := err.Error()
	const unregistered = "name not registered for interface: "
	if i := strings.Index(msg, unregistered); i >= 0 {
		name, qerr := strconv.Unquote(msg[i+len(unregistered):])
		if qerr != nil {
			name = ""
		}
		return &DecodeError{Type: name, Err: err}
	}
	if strings.Contains(msg, "local type *map[string]interface {}") {
		return nil // the top level is always such a map: the data is damaged
	}
	for _, changed := range []string{"decoding into local type", "wrong type (", "type mismatch"} {
		if strings.Contains(msg, changed) {
			return &DecodeError{Err: err}
		}
	}
	return nil
}

// decodeRecord parses data. Any inconsistency is errCorrupt, and a value of
// a type gob does not know here a *DecodeError: stored bytes are never
// trusted, whatever wrote them.
func decodeRecord(data []byte) (*record, error) {
	rec := new(record)
	if err := decodeInto(rec, data); err != nil {
		return nil, err
	}
	return rec, nil
}

// decodeInto is decodeRecord filling the caller's record, which can then
// live on the caller's stack.
func decodeInto(rec *record, data []byte) error {
	d := decoder{b: data}
	if d.byte() != codecVersion {
		return errCorrupt
	}
	rec.created = time.Unix(0, d.varint())
	rec.lastAccess = time.Unix(0, d.varint())
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.b)) {
		return errCorrupt
	}
	rec.values = makeValues(int(n))
	for range n {
		k := sessionKeys.intern(d.bytes())
		switch d.byte() {
		case tagString:
			rec.values.set(k, string(d.bytes()))
		case tagInt:
			rec.values.set(k, int(d.varint()))
		case tagInt64:
			rec.values.set(k, d.varint())
		case tagBool:
			switch d.byte() {
			case 0:
				rec.values.set(k, false)
			case 1:
				rec.values.set(k, true)
			default:
				return errCorrupt
			}
		case tagFloat64:
			rec.values.set(k, math.Float64frombits(binary.LittleEndian.Uint64(d.take(8))))
		case tagBytes:
			rec.values.set(k, bytes.Clone(d.bytes()))
		case tagTime:
			var t time.Time
			if err := t.UnmarshalBinary(d.take(int(d.byte()))); err != nil && d.err == nil {
				return errCorrupt
			}
			rec.values.set(k, t)
		default:
			return errCorrupt
		}
		if d.err != nil {
			return errCorrupt
		}
	}
	if len(d.b) > 0 {
		if d.byte() != tagGob {
			return errCorrupt
		}
		var rest map[string]any
		if err := gob.NewDecoder(bytes.NewReader(d.b)).Decode(&rest); err != nil {
			if de := typeError(err); de != nil {
				return de
			}
			return fmt.Errorf("%w: %v", errCorrupt, err)
		}
		for k, v := range rest {
			rec.values.set(k, v)
		}
	}
	return nil
}

// recordTimes reads only the creation and last-access times of an encoded
// record, which decide whether it is live, without decoding its values.
func recordTimes(data []byte) (created, lastAccess time.Time, ok bool) {
	d := decoder{b: data}
	if d.byte() != codecVersion {
		return time.Time{}, time.Time{}, false
	}
	created = time.Unix(0, d.varint())
	lastAccess = time.Unix(0, d.varint())
	return created, lastAccess, d.err == nil
}

// decoder reads from b, recording the first error instead of returning it
// from every call; reads after an error return zero values.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) take(n int) []byte {
	if d.err != nil || n < 0 || n > len(d.b) {
		d.err = errCorrupt
		return make([]byte, max(n, 0))
	}
	p := d.b[:n]
	d.b = d.b[n:]
	return p
}

func (d *decoder) byte() byte {
	return d.take(1)[0]
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err = errCorrupt
		return nil
	}
	return d.take(int(n))
}
