package build

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// Shard selects a stable slice of the schools for one runner of a CI
// matrix: school s belongs to shard K of N when fnv32a(id) mod N == K-1.
// A school's shard depends only on its id and N, so adding or removing a
// school never moves another one. The zero Shard is the whole set.
type Shard struct {
	K, N int
}

// ParseShard parses "K/N" (1 <= K <= N).
func ParseShard(s string) (Shard, error) {
	ks, ns, ok := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(ks)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 1 || k > n {
		return Shard{}, fmt.Errorf("%q is not a shard: use K/N with 1 <= K <= N, e.g. 2/4", s)
	}
	return Shard{K: k, N: n}, nil
}

// Whole reports whether the shard is the whole set.
func (s Shard) Whole() bool { return s.N <= 1 }

// String prints "K/N", or "" for the whole set.
func (s Shard) String() string {
	if s.Whole() {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.K, s.N)
}

// Has reports whether the school with id is in the shard.
func (s Shard) Has(id string) bool {
	if s.Whole() {
		return true
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32()%uint32(s.N)) == s.K-1
}
