package server

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"fugong/store"
)

// The headers of an answer read from the read replica (--db-read): the API's figures and
// the exports, which have no page to say it on.
const (
	// ReplicaLagHeader is how far behind the primary the answer's figures are, in whole
	// seconds ("0" when the replica has applied all it received), or "unknown" when the
	// replica did not say.
	ReplicaLagHeader = "X-Fugong-Replica-Lag"
	// DataAsOfHeader is the time the figures are as of (RFC 3339, UTC).
	DataAsOfHeader = "X-Fugong-Data-As-Of"
)

// ReadReplica is the database for an answer of figures or an export: the read replica when
// fugong runs with one, in which case the answer's headers say how far behind it is; else
// db itself, and no header.
func ReadReplica(w http.ResponseWriter, r *http.Request, db *store.DB, log *slog.Logger) *store.DB {
	ro := db.ReadOnly()
	if ro == db {
		return db
	}
	h := w.Header()
	st, err := db.Staleness(r.Context())
	switch {
	case err != nil:
		log.Warn("read replica lag", "err", err)
		h.Set(ReplicaLagHeader, "unknown")
		return ro
	case !st.Replica:
		st.AsOf = db.Clock.Now() // promoted, or a primary: nothing lags
	}
	h.Set(ReplicaLagHeader, strconv.Itoa(int(st.Lag.Round(time.Second)/time.Second)))
	h.Set(DataAsOfHeader, st.AsOf.UTC().Format(time.RFC3339))
	return ro
}
