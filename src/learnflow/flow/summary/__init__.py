"""TensorBoard summaries: summary ops and ``FileWriter`` (``tf.summary``).

Summary ops (``scalar``, ``histogram``, ``image``, ``text``, ``merge``,
``merge_all``) are graph ops whose values are serialized ``Summary`` protobufs;
``FileWriter`` writes them, and the graph, to event files that TensorBoard reads.
"""

# SPDX-License-Identifier: BSD-3-Clause

from tensorboard.compat.proto.event_pb2 import Event, SessionLog
from tensorboard.compat.proto.summary_pb2 import Summary, SummaryDescription

from ._summary_ops import histogram, image, merge, merge_all, scalar, text
from ._writer import FileWriter, SummaryWriter, graph_to_graph_def

__all__ = ["Event", "FileWriter", "SessionLog", "Summary", "SummaryDescription",
           "SummaryWriter", "graph_to_graph_def", "histogram", "image", "merge", "merge_all",
           "scalar", "text"]
