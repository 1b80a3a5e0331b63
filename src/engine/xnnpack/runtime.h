// The XNNPACK objects the engine keeps while it lives, each deleted by its destructor: a thread
// pool (pthreadpool, which XNNPACK's runtimes run on) and a runtime (a built subgraph, set up on
// the engine's buffers once, then invoked).
#pragma once

#include <cstddef>
#include <memory>
#include <span>

#include "core/result.h"
#include "engine/xnnpack/subgraph_builder.h"

struct pthreadpool;
struct xnn_runtime;

namespace coralpi::xnnpack {

// The bytes XNNPACK may read past the end of a tensor (XNN_EXTRA_BYTES): every buffer the engine
// hands to a runtime has them.
size_t ReadPastEndBytes();

class ThreadPool {
 public:
  // A pool of `threads` threads in all (at least 2).
  static Result<std::unique_ptr<ThreadPool>> Create(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

 private:
  friend class Runtime;
  explicit ThreadPool(pthreadpool* pool) : pool_(pool) {}
  pthreadpool* pool_;
};

class Runtime {
 public:
  // Creates the runtime of the builder's subgraph on `pool` (null: on the calling thread) and
  // binds external value i (builder.external()[i]) to buffers[i].
  static Result<std::unique_ptr<Runtime>> Create(SubgraphBuilder& builder, ThreadPool* pool,
                                                 std::span<void* const> buffers);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  Status Invoke();

 private:
  explicit Runtime(xnn_runtime* runtime) : runtime_(runtime) {}
  xnn_runtime* runtime_;
};

}  // namespace coralpi::xnnpack
