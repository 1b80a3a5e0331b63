// XnnSubgraphBuilder: turns a run of model operators into one XNNPACK subgraph.
//
// It defines each tensor as an XNNPACK value the first time a node uses it: constants with
// their data (the model's bytes stay alive as long as the engine), boundary tensors (the
// segment's inputs and outputs) as external values, everything else as internal values that
// XNNPACK plans itself.
#pragma once

#include <xnnpack.h>

#include <map>
#include <set>
#include <vector>

#include "core/result.h"
#include "model/model.h"

namespace coralpi {

class XnnSubgraphBuilder {
 public:
  // `external` lists the tensors that cross the segment boundary; each gets external id = its
  // position in the list.
  XnnSubgraphBuilder(const Subgraph& graph, std::vector<int32_t> external,
                     std::set<int32_t> segment_outputs);
  ~XnnSubgraphBuilder();
  XnnSubgraphBuilder(const XnnSubgraphBuilder&) = delete;
  XnnSubgraphBuilder& operator=(const XnnSubgraphBuilder&) = delete;

  Status Init();
  xnn_subgraph_t subgraph() const { return subgraph_; }
  const Subgraph& graph() const { return graph_; }
  const TensorInfo& tensor(int32_t index) const {
    return graph_.tensors[static_cast<size_t>(index)];
  }

  // The XNNPACK value id of a tensor, defining it on first use with the tensor's own shape,
  // or with `dims` when given (same element count; e.g. [N,C] seen as [N,1,1,C]).
  Result<uint32_t> Value(int32_t tensor_index, const std::vector<size_t>* dims = nullptr);
  // XNN_INVALID_VALUE_ID for an omitted optional input (-1).
  Result<uint32_t> OptionalValue(int32_t tensor_index);

  // Hands the subgraph over (for xnn_create_runtime_v2); the builder no longer deletes it.
  xnn_subgraph_t Release();

 private:
  const Subgraph& graph_;
  std::vector<int32_t> external_;
  std::set<int32_t> segment_outputs_;
  std::map<int32_t, uint32_t> ids_;
  xnn_subgraph_t subgraph_ = nullptr;
};

// Real-valued bounds of a fused activation, as XNNPACK's define calls take them.
void XnnActivationBounds(Activation act, float* min, float* max);
// "XNNPACK: <call> failed (invalid parameter)" style message.
Error XnnError(const char* call, xnn_status status);

}  // namespace coralpi
