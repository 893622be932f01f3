package server

import (
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the reverse proxies whose X-Forwarded-For is believed. Behind a proxy,
// every request comes from the proxy's address; without this list, that address is what
// the rate limits, the lockouts and the audit log see, and believing the header from
// anyone would let any client name any address.
type Proxies []netip.Prefix

// ParseProxies reads a comma-separated list of CIDRs or single addresses.
func ParseProxies(s string) (Proxies, error) {
	var ps Proxies
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, err2 := netip.ParseAddr(f)
			if err2 != nil {
				return nil, fmt.Errorf("%q is neither a CIDR nor an address", f)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		ps = append(ps, p.Masked())
	}
	return ps, nil
}

// Contains reports whether the address ip (no port) is one of the proxies.
func (ps Proxies) Contains(ip string) bool {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// realIP replaces the remote address of a request that came through a trusted proxy by
// the client's: the right-most address of X-Forwarded-For that is not itself a trusted
// proxy (the ones to its left were written by the client and prove nothing).
func realIP(ps Proxies, next http.Handler) http.Handler {
	if len(ps) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil || !ps.Contains(host) {
			next.ServeHTTP(w, r)
			return
		}
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			h := strings.TrimSpace(hops[i])
			a, err := netip.ParseAddr(h)
			if err != nil {
				break
			}
			if !ps.Contains(h) {
				r2 := *r
				r2.RemoteAddr = net.JoinHostPort(a.Unmap().String(), "0")
				r = &r2
				break
			}
		}
		next.ServeHTTP(w, r)
	})
}

// metricsGuard answers /metrics only to a caller on the loopback interface (after the
// proxies are resolved, so a request forwarded by a local proxy does not count as local)
// or to one that sends the metrics token as a bearer token.
func metricsGuard(token string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, _ := net.SplitHostPort(r.RemoteAddr)
		ip := net.ParseIP(host)
		got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if (ip != nil && ip.IsLoopback() && r.Header.Get("X-Forwarded-For") == "") ||
			(token != "" && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1) {
			next.ServeHTTP(w, r)
			return
		}
		http.Error(w, "forbidden", http.StatusForbidden)
	})
}
