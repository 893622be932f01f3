// Package fugong is the domain of the 复工复产服务平台: the entities a county keeps
// in a crisis, the rules that must hold over them, and the error model.
//
// It imports only the standard library; storage, delivery and the demo county live in
// the packages around it (store, web, api, auth, jobs, notify, xlsx, demo).
package fugong
