// ThreadPool and Runtime (runtime.h).
#include "engine/xnnpack/runtime.h"

#include <pthreadpool.h>
#include <xnnpack.h>

#include <string>
#include <vector>

#include "engine/xnnpack/api.h"

namespace coralpi::xnnpack {

size_t ReadPastEndBytes() { return XNN_EXTRA_BYTES; }

Result<std::unique_ptr<ThreadPool>> ThreadPool::Create(int threads) {
  pthreadpool_t pool = pthreadpool_create(static_cast<size_t>(threads));
  if (!pool) return Error{"cannot create a pool of " + std::to_string(threads) + " threads"};
  return std::unique_ptr<ThreadPool>(new ThreadPool(pool));
}

ThreadPool::~ThreadPool() { pthreadpool_destroy(pool_); }

Result<std::unique_ptr<Runtime>> Runtime::Create(SubgraphBuilder& builder, ThreadPool* pool,
                                                 std::span<void* const> buffers) {
  // The subgraph is only needed until the runtime exists.
  std::unique_ptr<xnn_subgraph, xnn_status (*)(xnn_subgraph_t)> subgraph(builder.Release(),
                                                                          xnn_delete_subgraph);
  xnn_runtime_t made = nullptr;
  xnn_status s = xnn_create_runtime_v2(subgraph.get(), pool ? pool->pool_ : nullptr, 0, &made);
  if (s != xnn_status_success) return XnnError("xnn_create_runtime_v2", s);
  std::unique_ptr<Runtime> runtime(new Runtime(made));
  std::vector<xnn_external_value> values;
  for (size_t i = 0; i < buffers.size(); ++i) {
    values.push_back({static_cast<uint32_t>(i), buffers[i]});
  }
  CORALPI_RETURN_IF_ERROR(Check(api::SetupRuntime(made, values.size(), values.data())));
  return runtime;
}

Runtime::~Runtime() { xnn_delete_runtime(runtime_); }

Status Runtime::Invoke() {
  xnn_status s = xnn_invoke_runtime(runtime_);
  if (s != xnn_status_success) return XnnError("xnn_invoke_runtime", s);
  return OkStatus();
}

}  // namespace coralpi::xnnpack
