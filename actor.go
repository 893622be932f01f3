package fugong

import "context"

// Actor is who is acting and from where, carried in the context so that every write's
// audit line can say so.
type Actor struct {
	UserID   int64
	Username string
	IP       string
	// County is the caller's county: a write's commit token is kept with it, on the shard
	// the write goes to when the database is distributed by county (SCALING.md).
	County string
}

type actorKey struct{}

// WithActor returns a context carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or a system actor.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Username: "system"}
}
