// The device's commands, in menu order: status, sample-now, silence, unsilence, thresholds.
import type { HealthSnapshot } from "../../health/monitor.js";
import type { Thresholds } from "../../health/level.js";
import type { AgentConfig } from "../../config/load.js";
import type { CheckResult } from "../../checks/result.js";
import { formElement, textField } from "../forms.js";
import { completed, type AdhocCommand } from "./command.js";
import { statusForm, thresholdsForm } from "./health-forms.js";
import { silenceCommand, unsilenceCommand, type Maintenance } from "./silence-command.js";

export interface DeviceCommandDeps {
  health(): HealthSnapshot;
  /** A fresh sample through hysteresis, then the presence sent again whatever the rate limit. */
  sampleAndRefresh(): Promise<HealthSnapshot>;
  /** The status line operators see in their roster now. */
  presenceStatus(): string;
  maintenance: Maintenance;
  /** The owner's checks' latest results. */
  checks(): CheckResult[];
  thresholds: Thresholds;
  presence: AgentConfig["presence"];
  now?: () => number;
}

export function deviceCommands(deps: DeviceCommandDeps): AdhocCommand[] {
  const { maintenance } = deps;
  return [
    {
      node: "status",
      name: "Health status",
      start: () => completed([], [formElement(statusForm(deps.health(), maintenance.current(), (deps.now ?? Date.now)(), deps.checks()))]),
    },
    {
      node: "sample-now",
      name: "Sample now and refresh presence",
      async start() {
        const { state } = await deps.sampleAndRefresh();
        const fields = [
          textField("level", "Level", state.level),
          { var: "reasons", type: "text-multi" as const, label: "Reasons", values: state.reasons.length ? state.reasons : ["none"] },
          textField("status", "Status line", deps.presenceStatus()),
        ];
        return completed([{ type: "info", text: "sampled; presence sent again" }], [formElement({ type: "result", title: "Fresh sample", fields })]);
      },
    },
    silenceCommand({ maintenance, level: () => deps.health().state.level, now: deps.now }),
    unsilenceCommand({ maintenance }),
    {
      node: "thresholds",
      name: "Thresholds",
      start: () => completed([], [formElement(thresholdsForm(deps.thresholds, deps.presence))]),
    },
  ];
}
