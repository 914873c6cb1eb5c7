/** The linux.boot command, for the VT-d part of booting. */
import type { EngineCommand } from '../../commands.ts';

export type LinuxBootCommand = Extract<EngineCommand, { kind: 'linux.boot' }>;
