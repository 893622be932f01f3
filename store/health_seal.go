package store

import (
	"fugong"
	"fugong/secret"
)

// Health records of the workforce, sealed at rest as one value per row (migration 00319;
// the format of sealHealth, as for checkpoints and screenings): what a check, a step
// through the gates, an alert and a worker's isolation say of a person's health. The
// columns they replace are written empty; a row written before sealing has no sealed
// value and keeps its clear columns, which the readers take as they are.

// checkHealth is the sealed part of a check and of an alert: the reading and symptoms.
type checkHealth struct {
	Temperature int    `json:"t"`
	Symptoms    string `json:"s,omitempty"`
}

// gateHealth is the sealed part of a step through the gates.
type gateHealth struct {
	FromRegion    string `json:"o,omitempty"`
	Route         string `json:"r,omitempty"`
	Temperature   int    `json:"t,omitempty"`
	Symptoms      string `json:"s,omitempty"`
	Contact       bool   `json:"c,omitempty"`
	IsolationKind string `json:"k,omitempty"`
	PlannedEnd    string `json:"e,omitempty"`
}

// isolationHealth is the sealed part of a worker's row: the isolation.
type isolationHealth struct {
	Kind  string `json:"k,omitempty"`
	Start string `json:"s,omitempty"`
	End   string `json:"e,omitempty"`
}

// SealCheckHealth seals a check's (or an alert's) reading and symptoms as the store
// does; the generator of big counties writes its rows with it.
func SealCheckHealth(keys *secret.Keys, t fugong.Temperature, symptoms string) (string, error) {
	return sealHealth(keys, checkHealth{int(t), symptoms})
}

// SealGateHealth seals what a step through the gates says of a worker's health.
func SealGateHealth(keys *secret.Keys, e fugong.GateEvent) (string, error) {
	return sealHealth(keys, gateHealth{e.FromRegion, e.Route, int(e.Temperature), e.Symptoms, e.Contact, e.IsolationKind, e.PlannedEnd})
}

// SealIsolation seals a worker's isolation; a worker never isolated has nothing to seal.
func SealIsolation(keys *secret.Keys, st fugong.HealthState) (string, error) {
	if st.IsolationKind == "" && st.IsolationStart == "" && st.IsolationEnd == "" {
		return "", nil
	}
	return sealHealth(keys, isolationHealth{st.IsolationKind, st.IsolationStart, st.IsolationEnd})
}

// openCheck opens a check's or an alert's sealed reading over its clear columns.
func openCheck(keys *secret.Keys, sealed string, t *fugong.Temperature, symptoms *string) error {
	h := checkHealth{int(*t), *symptoms}
	if err := openHealth(keys, sealed, &h); err != nil {
		return err
	}
	*t, *symptoms = fugong.Temperature(h.Temperature), h.Symptoms
	return nil
}

// openGate opens a step's sealed health record over its clear columns.
func openGate(keys *secret.Keys, sealed string, e *fugong.GateEvent) error {
	h := gateHealth{e.FromRegion, e.Route, int(e.Temperature), e.Symptoms, e.Contact, e.IsolationKind, e.PlannedEnd}
	if err := openHealth(keys, sealed, &h); err != nil {
		return err
	}
	e.FromRegion, e.Route, e.Temperature, e.Symptoms, e.Contact, e.IsolationKind, e.PlannedEnd = h.FromRegion, h.Route, fugong.Temperature(h.Temperature), h.Symptoms, h.Contact, h.IsolationKind, h.PlannedEnd
	return nil
}

// openIsolation opens a worker's sealed isolation over its clear columns.
func openIsolation(keys *secret.Keys, sealed string, st *fugong.HealthState) error {
	h := isolationHealth{st.IsolationKind, st.IsolationStart, st.IsolationEnd}
	if err := openHealth(keys, sealed, &h); err != nil {
		return err
	}
	st.IsolationKind, st.IsolationStart, st.IsolationEnd = h.Kind, h.Start, h.End
	return nil
}
