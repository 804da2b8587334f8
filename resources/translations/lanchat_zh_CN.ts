<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ChatSending</name>
    <message>
        <location filename="../../lanchat/ui/chat_sending.py" line="34" />
        <source>No one is online to receive this.</source>
        <translation>没有在线的人可以接收。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_sending.py" line="43" />
        <location filename="../../lanchat/ui/chat_sending.py" line="70" />
        <source>Cannot send: {0}</source>
        <translation>无法发送：{0}</translation>
    </message>
</context>
<context>
    <name>ChatTab</name>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="66" />
        <source>No one is online right now</source>
        <extracomment>A typing indicator not refreshed for this long disappears.</extracomment>
        <translation>现在没有人在线</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="68" />
        <source>Reaches the 1 person online now</source>
        <translation>发给现在在线的 1 个人</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="69" />
        <source>Reaches the %n people online now</source>
        <translation>发给现在在线的 %n 个人</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="182" />
        <source>Contact details and fingerprint</source>
        <extracomment>Open, Save as, Copy… for files; the dialogs' folders (set by the window with `set_file_actions`).</extracomment>
        <translation>联系人详情和指纹</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="183" />
        <source>More</source>
        <translation>更多</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="184" />
        <source>Export chat…</source>
        <translation>导出聊天记录…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="185" />
        <source>Delete chat…</source>
        <translation>删除聊天…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="186" />
        <source>Pictures and files…</source>
        <translation>图片和文件…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="218" />
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="218" />
        <source>away</source>
        <translation>离开</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="218" />
        <source>busy</source>
        <translation>忙碌</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="219" />
        <source>offline — messages wait until they are back</source>
        <translation>离线 — 消息会在对方上线后送达</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="225" />
        <source>✔ verified</source>
        <translation>✔ 已验证</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="245" />
        <source>🔓 {0} is not encrypted: others on this network can read what you send here.</source>
        <translation>🔓 {0} 不加密：同一网络上的其他人可以看到你在这里发送的内容。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="249" />
        <source>🔒 {0}: encrypted, but lanchat cannot verify who is at the other end.</source>
        <translation>🔒 {0}：已加密，但 lanchat 无法核实对方是谁。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="260" />
        <source>{0} (other networks) get what you write here one by one, not what others write; not all of it is encrypted.</source>
        <translation>{0}（其他网络）会逐条收到你在这里写的内容，但收不到其他人写的；这部分内容不一定加密。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="283" />
        <source>No one is online to receive this message.</source>
        <translation>没有在线的人可以接收这条消息。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="291" />
        <source>Message too long</source>
        <translation>消息太长</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="292" />
        <source>This message is too long to send. Split it into shorter messages.</source>
        <translation>这条消息太长，无法发送。请拆分成几条较短的消息。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="318" />
        <source>typing…</source>
        <translation>正在输入…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="320" />
        <source>{0} is typing…</source>
        <translation>{0} 正在输入…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="383" />
        <source>Screenshot</source>
        <translation>截图</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="412" />
        <source>Send files</source>
        <translation>发送文件</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="419" />
        <source>Send a folder</source>
        <translation>发送文件夹</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="428" />
        <source>Send pictures</source>
        <translation>发送图片</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="428" />
        <source>Pictures ({0})</source>
        <translation>图片 ({0})</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../lanchat/ui/chat_view.py" line="263" />
        <source>Open link</source>
        <extracomment>Within this many pixels of the bottom, new entries keep the view scrolled down. How long the message a search jumped to stays marked. Open, Save as, Copy, Show in folder, Forward, Delete for the files of cards (set by the window).</extracomment>
        <translation>打开链接</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_view.py" line="264" />
        <source>Copy link</source>
        <translation>复制链接</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_view.py" line="266" />
        <source>Copy text</source>
        <translation>复制文字</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_view.py" line="291" />
        <source>Delete from this chat</source>
        <translation>从此聊天中删除</translation>
    </message>
</context>
<context>
    <name>ComposeBar</name>
    <message>
        <location filename="../../lanchat/ui/compose.py" line="135" />
        <source>Write a message…</source>
        <extracomment>After this long without a key, we tell the contact we stopped typing.</extracomment>
        <translation>输入消息…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/compose.py" line="137" />
        <source>Emoji</source>
        <translation>表情</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/compose.py" line="137" />
        <source>Send files</source>
        <translation>发送文件</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/compose.py" line="138" />
        <source>Send a folder</source>
        <translation>发送文件夹</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/compose.py" line="138" />
        <source>Send pictures</source>
        <translation>发送图片</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/compose.py" line="139" />
        <source>Screenshot (Ctrl+Alt+A)</source>
        <translation>截图 (Ctrl+Alt+A)</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/compose.py" line="140" />
        <source>Send (Enter)</source>
        <translation>发送 (Enter)</translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="46" />
        <source>Contact details</source>
        <translation>联系人详情</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="56" />
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="56" />
        <source>Away</source>
        <translation>离开</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="56" />
        <source>Busy</source>
        <translation>忙碌</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="57" />
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="67" />
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="69" />
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="70" />
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="75" />
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="85" />
        <source>Fingerprint</source>
        <translation>指纹</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="86" />
        <source>Full fingerprint</source>
        <translation>完整指纹</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="89" />
        <source>To be sure this is really them, meet in person and compare the fingerprint above with the one their lanchat shows for you (hover over your name). If they match, tick the box.</source>
        <translation>为确认对方身份，请当面把上面的指纹与对方 lanchat 中显示的你的指纹（鼠标停在你的名字上即可看到）进行比对。如果一致，请勾选下面的选项。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="92" />
        <source>This network has no keys to compare: anyone on the network could use this name and address.</source>
        <translation>这个网络没有可以核对的密钥：网络上任何人都可以使用这个名字和地址。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="95" />
        <source>I compared the fingerprint in person: verified</source>
        <translation>我已当面比对过指纹：已验证</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="105" />
        <source>Careful: you verified another contact called “{0}” with a different key. This may be someone else using the same name.</source>
        <translation>注意：你已验证过另一个名为“{0}”的联系人，其密钥不同。这可能是别人在冒用这个名字。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="112" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>ContactsDelegate</name>
    <message numerus="yes">
        <location filename="../../lanchat/ui/contacts_view.py" line="185" />
        <source>%n online</source>
        <extracomment>One line of text, vertically centred and never clipped to its box (a CJK fallback font is taller).</extracomment>
        <translation>
            <numerusform>%n 人在线</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contacts_view.py" line="185" />
        <source>No one is online</source>
        <translation>没有人在线</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lanchat/ui/contacts_view.py" line="187" />
        <source>%n members</source>
        <translation>
            <numerusform>%n 位成员</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contacts_view.py" line="189" />
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contacts_view.py" line="190" />
        <source>Say hello 👋</source>
        <translation>打个招呼吧 👋</translation>
    </message>
</context>
<context>
    <name>ContactsModel</name>
    <message>
        <location filename="../../lanchat/core/contacts_model.py" line="95" />
        <source>Picture</source>
        <translation>图片</translation>
    </message>
    <message>
        <location filename="../../lanchat/core/contacts_model.py" line="98" />
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../lanchat/core/contacts_model.py" line="102" />
        <source>You: </source>
        <translation>你：</translation>
    </message>
    <message>
        <location filename="../../lanchat/core/contacts_model.py" line="104" />
        <source>{0}: </source>
        <translation>{0}：</translation>
    </message>
    <message>
        <location filename="../../lanchat/core/contacts_model.py" line="228" />
        <source>Everyone</source>
        <extracomment>Contact changes arriving within this long are applied together.</extracomment>
        <translation>所有人</translation>
    </message>
</context>
<context>
    <name>ContactsPane</name>
    <message>
        <location filename="../../lanchat/ui/contacts_view.py" line="268" />
        <location filename="../../lanchat/ui/contacts_view.py" line="328" />
        <source>Search — Enter finds messages</source>
        <translation>搜索 — 按 Enter 查找消息</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lanchat/ui/contacts_view.py" line="360" />
        <source>%n message(s) found</source>
        <translation>
            <numerusform>找到 %n 条消息</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contacts_view.py" line="361" />
        <source>No messages contain “{0}”</source>
        <translation>没有包含“{0}”的消息</translation>
    </message>
</context>
<context>
    <name>FileActions</name>
    <message>
        <location filename="../../lanchat/ui/file_actions.py" line="62" />
        <source>No program opens {0}.</source>
        <extracomment>A sentence for the status bar.</extracomment>
        <translation>没有程序能打开 {0}。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/file_actions.py" line="68" />
        <location filename="../../lanchat/ui/file_actions.py" line="85" />
        <source>Save as</source>
        <translation>另存为</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/file_actions.py" line="75" />
        <location filename="../../lanchat/ui/file_actions.py" line="90" />
        <location filename="../../lanchat/ui/file_actions.py" line="141" />
        <source>lanchat</source>
        <translation>lanchat</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/file_actions.py" line="76" />
        <source>Could not save {0}: {1}</source>
        <translation>无法保存 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/file_actions.py" line="79" />
        <location filename="../../lanchat/ui/file_actions.py" line="93" />
        <source>Saved as {0}.</source>
        <translation>已另存为 {0}。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/file_actions.py" line="85" />
        <source>PNG pictures (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/file_actions.py" line="90" />
        <source>Could not save {0}.</source>
        <translation>无法保存 {0}。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/file_actions.py" line="98" />
        <source>Copied the picture.</source>
        <translation>已复制图片。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/file_actions.py" line="112" />
        <source>Copied {0}.</source>
        <translation>已复制 {0}。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/file_actions.py" line="143" />
        <source>Forwarded to {0}.</source>
        <translation>已转发给 {0}。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/file_actions.py" line="151" />
        <source>Delete from this chat</source>
        <translation>从此聊天中删除</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/file_actions.py" line="152" />
        <source>Remove this entry from the chat? A file that was saved stays in its folder.</source>
        <translation>要从聊天中删除这一条吗？已保存的文件仍留在原文件夹中。</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location filename="../../lanchat/ui/first_run.py" line="16" />
        <source>Welcome to lanchat</source>
        <translation>欢迎使用 lanchat</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/first_run.py" line="18" />
        <source>Welcome to lanchat 👋</source>
        <translation>欢迎使用 lanchat 👋</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/first_run.py" line="21" />
        <source>lanchat finds the people on your network who run it too. Choose the name they will see; you can change it later in Settings.</source>
        <translation>lanchat 会找到你所在网络中同样在使用它的人。请选择一个别人能看到的名字，以后可以在设置中修改。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/first_run.py" line="28" />
        <source>Your name</source>
        <translation>你的名字</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/first_run.py" line="31" />
        <source>Start chatting</source>
        <translation>开始聊天</translation>
    </message>
</context>
<context>
    <name>ForwardDialog</name>
    <message>
        <location filename="../../lanchat/ui/forward_dialog.py" line="29" />
        <location filename="../../lanchat/ui/forward_dialog.py" line="50" />
        <source>Forward</source>
        <translation>转发</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/forward_dialog.py" line="35" />
        <source>Search contacts and groups</source>
        <translation>搜索联系人和群组</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/forward_dialog.py" line="43" />
        <source>Group: {0}</source>
        <translation>群组：{0}</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/forward_dialog.py" line="46" />
        <source> (offline)</source>
        <translation>（离线）</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lanchat/ui/forward_dialog.py" line="55" />
        <source>Send %n file(s) to:</source>
        <translation>
            <numerusform>把 %n 个文件发送给：</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GroupDialog</name>
    <message>
        <location filename="../../lanchat/ui/group_dialog.py" line="35" />
        <source>New group chat</source>
        <extracomment>Others a named group can hold: 256 members, we are one of them (docs/protocol.md §5).</extracomment>
        <translation>新建群聊</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/group_dialog.py" line="39" />
        <source>Group name, e.g. Project team</source>
        <translation>群名称，例如：项目小组</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/group_dialog.py" line="42" />
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/group_dialog.py" line="42" />
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/group_dialog.py" line="49" />
        <source>This group is full: a group holds at most {0} people, you included. Untick someone to add another, or write to Everyone.</source>
        <translation>群组已满：一个群组最多 {0} 人（包括你）。取消勾选某人才能再加人，或者发到“所有人”。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/group_dialog.py" line="56" />
        <source>Create group</source>
        <translation>创建群聊</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/group_dialog.py" line="57" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/group_dialog.py" line="63" />
        <source>Name</source>
        <translation>名字</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/group_dialog.py" line="65" />
        <source>Members</source>
        <translation>成员</translation>
    </message>
</context>
<context>
    <name>HistoryActions</name>
    <message>
        <location filename="../../lanchat/ui/history_actions.py" line="64" />
        <source>Everyone</source>
        <extracomment>A line for the status bar. Something went wrong that the person must see. The chat's messages are gone (its tab closes).</extracomment>
        <translation>所有人</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/history_actions.py" line="87" />
        <source>Export chat</source>
        <translation>导出聊天记录</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/history_actions.py" line="88" />
        <source>Web page (*.html *.htm);;Text (*.txt);;JSON (*.json)</source>
        <translation>网页 (*.html *.htm);;文本 (*.txt);;JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/history_actions.py" line="102" />
        <source>Could not write {0}: {1}</source>
        <translation>无法写入 {0}：{1}</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lanchat/ui/history_actions.py" line="105" />
        <source>Exported %n message(s) to {0}</source>
        <translation>
            <numerusform>已将 %n 条消息导出到 {0}</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/history_actions.py" line="121" />
        <location filename="../../lanchat/ui/history_actions.py" line="125" />
        <source>Delete chat</source>
        <translation>删除聊天</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/history_actions.py" line="122" />
        <source>Delete every message of the chat “{0}” from this computer? This cannot be undone. The others keep their copies, and “{0}” stays in your list.</source>
        <translation>要从这台电脑上删除与“{0}”的聊天中的所有消息吗？此操作无法撤销。对方仍保留他们的副本，“{0}”也仍会留在你的列表中。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/history_actions.py" line="130" />
        <source>Deleted the chat “{0}”.</source>
        <translation>已删除与“{0}”的聊天。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/history_actions.py" line="136" />
        <location filename="../../lanchat/ui/history_actions.py" line="139" />
        <source>Clear all history</source>
        <translation>清除全部历史记录</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/history_actions.py" line="137" />
        <source>Delete every message of every chat from this computer? This cannot be undone. Your contacts and groups stay, and so do transfers still running.</source>
        <translation>要从这台电脑上删除所有聊天中的全部消息吗？此操作无法撤销。你的联系人和群组会保留，正在进行的传输也会保留。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/history_actions.py" line="143" />
        <source>The history is cleared.</source>
        <translation>历史记录已清除。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../lanchat/ui/window.py" line="185" />
        <source>Welcome to lanchat</source>
        <extracomment>Settings that apply at start changed and the person chose to restart now. id -&gt; case-folded name of each contact you verified, for the impersonation warning.</extracomment>
        <translation>欢迎使用 lanchat</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/window.py" line="187" />
        <source>People on your network appear on the left as they start lanchat.
Double-click someone to chat, or write to Everyone at once.
Drop files or pictures on a chat to send them.</source>
        <translation>网络中启动了 lanchat 的人会出现在左侧。
双击某人即可聊天，也可以一次发给所有人。
把文件或图片拖到聊天窗口即可发送。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/window.py" line="356" />
        <source>Someone new uses the name “{0}” of a contact you verified. It is a different key: it may not be the same person. Compare fingerprints before you trust them.</source>
        <translation>有新的联系人使用了你已验证联系人的名字“{0}”。其密钥不同，可能不是同一个人。信任对方之前请先比对指纹。</translation>
    </message>
</context>
<context>
    <name>MarkupCanvas</name>
    <message>
        <location filename="../../lanchat/ui/screenshot/markup.py" line="166" />
        <source>Text</source>
        <translation>文字</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/screenshot/markup.py" line="166" />
        <source>Text to write on the picture:</source>
        <translation>要写在图片上的文字：</translation>
    </message>
</context>
<context>
    <name>MarkupWindow</name>
    <message>
        <location filename="../../lanchat/ui/screenshot/markup.py" line="206" />
        <source>Screenshot</source>
        <translation>截图</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/screenshot/markup.py" line="211" />
        <source>Rectangle</source>
        <translation>矩形</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/screenshot/markup.py" line="211" />
        <source>Arrow</source>
        <translation>箭头</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/screenshot/markup.py" line="212" />
        <source>Pen</source>
        <translation>画笔</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/screenshot/markup.py" line="212" />
        <source>Text</source>
        <translation>文字</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/screenshot/markup.py" line="213" />
        <source>Mosaic</source>
        <translation>马赛克</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/screenshot/markup.py" line="221" />
        <source>Hide a name or a face: drag over it</source>
        <translation>遮住名字或人脸：在上面拖动</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/screenshot/markup.py" line="227" />
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/screenshot/markup.py" line="230" />
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/screenshot/markup.py" line="234" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/screenshot/markup.py" line="235" />
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/screenshot/markup.py" line="236" />
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/screenshot/markup.py" line="237" />
        <source>Send to {0}</source>
        <translation>发送给 {0}</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/screenshot/markup.py" line="237" />
        <source>Send</source>
        <translation>发送</translation>
    </message>
</context>
<context>
    <name>MeCard</name>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="99" />
        <source>Menu</source>
        <translation>菜单</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="102" />
        <source>New group chat…</source>
        <translation>新建群聊…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="102" />
        <source>Transfers</source>
        <translation>文件传输</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="103" />
        <source>Phone / browser…</source>
        <translation>手机 / 浏览器…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="104" />
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="104" />
        <source>Export chat…</source>
        <translation>导出聊天记录…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="105" />
        <source>Delete chat…</source>
        <translation>删除聊天…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="105" />
        <source>Clear all history…</source>
        <translation>清除全部历史记录…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="106" />
        <source>Quit lanchat</source>
        <translation>退出 lanchat</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="120" />
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="120" />
        <source>Away</source>
        <translation>离开</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="120" />
        <source>Busy</source>
        <translation>忙碌</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="100" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="138" />
        <source>Your fingerprint: {0}
Others can compare it with what their lanchat shows.</source>
        <translation>你的指纹：{0}
别人可以把它与他们的 lanchat 中显示的进行比对。</translation>
    </message>
</context>
<context>
    <name>MediaMenu</name>
    <message>
        <location filename="../../lanchat/ui/media_view.py" line="165" />
        <source>View</source>
        <translation>查看</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/media_view.py" line="167" />
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/media_view.py" line="168" />
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/media_view.py" line="169" />
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/media_view.py" line="170" />
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/media_view.py" line="171" />
        <source>Forward…</source>
        <translation>转发…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/media_view.py" line="175" />
        <source>Delete from this chat</source>
        <translation>从此聊天中删除</translation>
    </message>
</context>
<context>
    <name>MediaView</name>
    <message>
        <location filename="../../lanchat/ui/media_view.py" line="92" />
        <source>Pictures and files: {0}</source>
        <extracomment>A picture was asked for: its index among `pictures` (the window opens the viewer).</extracomment>
        <translation>图片和文件：{0}</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/media_view.py" line="97" />
        <source>Search by name</source>
        <translation>按名称搜索</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lanchat/ui/media_view.py" line="102" />
        <source>Pictures (%n)</source>
        <translation>
            <numerusform>图片 (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../lanchat/ui/media_view.py" line="103" />
        <source>Files (%n)</source>
        <translation>
            <numerusform>文件 (%n)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <location filename="../../lanchat/ui/message_delegate.py" line="240" />
        <source>⚠ Not delivered</source>
        <extracomment>Paints and measures picture/file entries (ui.transfer_cards.CardPainter). The row id of the entry a search jumped to: it is marked for a while.</extracomment>
        <translation>⚠ 未送达</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/message_delegate.py" line="244" />
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/message_delegate.py" line="244" />
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message numerus="yes">
        <location filename="../../lanchat/ui/notifications.py" line="86" />
        <source>%n new messages</source>
        <extracomment>How long a notice stays. Notices closer together than this are one notice ("3 new messages").</extracomment>
        <translation>
            <numerusform>%n 条新消息</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/notifications.py" line="87" />
        <source>The newest: {0}</source>
        <translation>最新一条：{0}</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/notifications.py" line="104" />
        <source>Open</source>
        <translation>打开</translation>
    </message>
</context>
<context>
    <name>PictureSendDialog</name>
    <message>
        <location filename="../../lanchat/ui/picture_send_dialog.py" line="36" />
        <source>Send to {0}</source>
        <translation>发送给 {0}</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_send_dialog.py" line="46" />
        <source>(no preview)</source>
        <translation>（无预览）</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lanchat/ui/picture_send_dialog.py" line="55" />
        <source>%n pictures go as one album.</source>
        <translation>
            <numerusform>%n 张图片将作为一个相册发送。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_send_dialog.py" line="59" />
        <source>File name</source>
        <translation>文件名</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_send_dialog.py" line="60" />
        <source>The name the picture is sent under</source>
        <translation>图片发送时使用的名称</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_send_dialog.py" line="62" />
        <source>Original (full size and quality)</source>
        <translation>原图（完整尺寸和画质）</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_send_dialog.py" line="65" />
        <source>Off: a lighter JPEG of at most {0} pixels is sent instead, as chat apps do.</source>
        <translation>关闭时：像聊天软件那样，改为发送最长边不超过 {0} 像素的较小 JPEG。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_send_dialog.py" line="69" />
        <source>Send</source>
        <translation>发送</translation>
    </message>
</context>
<context>
    <name>PictureViewer</name>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="51" />
        <source>◀</source>
        <extracomment>The picture on screen changed (index into the items).</extracomment>
        <translation>◀</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="52" />
        <source>▶</source>
        <translation>▶</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="53" />
        <source>−</source>
        <translation>−</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="54" />
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="55" />
        <source>100%</source>
        <translation>100%</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="56" />
        <source>+</source>
        <translation>+</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="57" />
        <source>⟲</source>
        <translation>⟲</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="58" />
        <source>⟳</source>
        <translation>⟳</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="60" />
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="61" />
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="62" />
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="63" />
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="64" />
        <source>Forward…</source>
        <translation>转发…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="92" />
        <source>Previous picture</source>
        <translation>上一张</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="92" />
        <source>Next picture</source>
        <translation>下一张</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="93" />
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="93" />
        <source>Fit to the window</source>
        <translation>适应窗口大小</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="94" />
        <source>Actual size</source>
        <translation>实际大小</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="94" />
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="95" />
        <source>Turn left</source>
        <translation>向左旋转</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="95" />
        <source>Turn right</source>
        <translation>向右旋转</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="97" />
        <source>Open with the program your desktop uses for pictures</source>
        <translation>用桌面默认的图片程序打开</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/picture_viewer.py" line="132" />
        <source>{0} cannot be shown: it is not a picture lanchat can read.</source>
        <translation>{0} 无法显示：它不是 lanchat 能读取的图片。</translation>
    </message>
</context>
<context>
    <name>PortalScreenshot</name>
    <message>
        <location filename="../../lanchat/ui/screenshot/portal.py" line="45" />
        <source>This desktop lets no program take screenshots, and it has no screenshot portal (xdg-desktop-portal) either.</source>
        <extracomment>A sentence saying why there is no picture ("" when the person cancelled).</extracomment>
        <translation>此桌面不允许程序截屏，也没有截图门户（xdg-desktop-portal）。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/screenshot/portal.py" line="57" />
        <source>The desktop's screenshot portal refused: {0}</source>
        <translation>桌面的截图门户拒绝了：{0}</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/screenshot/portal.py" line="72" />
        <source>The desktop's screenshot portal gave no picture.</source>
        <translation>桌面的截图门户没有给出图片。</translation>
    </message>
</context>
<context>
    <name>RegionSelector</name>
    <message>
        <location filename="../../lanchat/ui/screenshot/selector.py" line="53" />
        <source>Drag over what you want to capture. Esc cancels.</source>
        <extracomment>A region smaller than this (a click, a twitch) is not taken.</extracomment>
        <translation>拖动选择要截取的区域。按 Esc 取消。</translation>
    </message>
</context>
<context>
    <name>ScreenshotFlow</name>
    <message>
        <location filename="../../lanchat/ui/screenshot/flow.py" line="70" />
        <source>Screenshot</source>
        <extracomment>Time for the window manager to take lanchat's window off the screen before the grab.</extracomment>
        <translation>截图</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="61" />
        <source>Settings</source>
        <extracomment>The longest name the network carries (docs/protocol.md: 1..64 characters). A LocalSend PIN is typed on a phone: a short one.</extracomment>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="74" />
        <source>e.g. your class or team (optional)</source>
        <extracomment>The saved changes that wait for a restart, named as the dialog names them.</extracomment>
        <translation>例如你的班级或团队（可选）</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="77" />
        <source>Choose picture…</source>
        <translation>选择图片…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="79" />
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="87" />
        <source>System language</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="93" />
        <source>Name</source>
        <translation>名字</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="95" />
        <source>Picture</source>
        <translation>图片</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="96" />
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="97" />
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="101" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="107" />
        <source>Ask me (small pictures from contacts come in at once)</source>
        <translation>询问我（联系人发来的小图片直接接收）</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="108" />
        <source>Accept everything</source>
        <translation>全部接收</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="109" />
        <source>Refuse everything</source>
        <translation>全部拒绝</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="117" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="118" />
        <source>Phones sending with LocalSend must type this PIN first</source>
        <translation>用 LocalSend 发送的手机须先输入此 PIN</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="121" />
        <location filename="../../lanchat/ui/settings_dialog.py" line="254" />
        <source>Save files in</source>
        <translation>文件保存位置</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="122" />
        <source>Incoming files</source>
        <translation>收到的文件</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="123" />
        <source>Accept pictures up to</source>
        <translation>自动接收图片上限</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="124" />
        <source>PIN for LocalSend senders</source>
        <translation>LocalSend 发送方的 PIN</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="129" />
        <source>any free port</source>
        <translation>任意空闲端口</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="135" />
        <source>One per line: 192.168.1.20 or pc-name:48484</source>
        <translation>每行一个：192.168.1.20 或 pc-name:48484</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="138" />
        <source>One per line, e.g. 10.0.255.255</source>
        <translation>每行一个，例如 10.0.255.255</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="141" />
        <source>lanchat (encrypted, keys you can verify)</source>
        <translation>lanchat（加密，可核对密钥）</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="142" />
        <source>IP Messenger, iptux, Feiq (not encrypted)</source>
        <translation>飞鸽传书、iptux、飞秋（不加密）</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="143" />
        <source>LocalSend (encrypted, not verified)</source>
        <translation>LocalSend（加密，身份未验证）</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="150" />
        <source>Chinese (GBK, as Feiq writes)</source>
        <translation>中文（GBK，飞秋使用的编码）</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="151" />
        <source>Japanese (Shift JIS, as IP Messenger writes)</source>
        <translation>日文（Shift JIS，IP Messenger 使用的编码）</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="153" />
        <source>For IP Messenger programs that do not say they read UTF-8</source>
        <translation>用于没有声明支持 UTF-8 的飞鸽传书类程序</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="156" />
        <location filename="../../lanchat/ui/settings_dialog.py" line="210" />
        <source>Networks to join</source>
        <translation>加入的网络</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="157" />
        <location filename="../../lanchat/ui/settings_dialog.py" line="210" />
        <source>IP Messenger text</source>
        <translation>飞鸽传书文字编码</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="158" />
        <location filename="../../lanchat/ui/settings_dialog.py" line="211" />
        <source>Connection port (TCP)</source>
        <translation>连接端口 (TCP)</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="159" />
        <location filename="../../lanchat/ui/settings_dialog.py" line="211" />
        <source>Discovery port (UDP)</source>
        <translation>发现端口 (UDP)</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="160" />
        <location filename="../../lanchat/ui/settings_dialog.py" line="212" />
        <source>Computers to find by address</source>
        <translation>按地址查找的电脑</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="161" />
        <location filename="../../lanchat/ui/settings_dialog.py" line="212" />
        <source>Extra broadcast addresses</source>
        <translation>额外的广播地址</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="162" />
        <source>Changes on this page apply when lanchat restarts; it offers to restart.</source>
        <translation>本页的更改在 lanchat 重启后生效；保存后可以立即重启。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="171" />
        <source>Hide this window while taking a screenshot</source>
        <translation>截图时隐藏本窗口</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="333" />
        <source>Names are at most {0} characters: this one has {1}, so others will see “{2}”.</source>
        <translation>名字最多 {0} 个字符：这个名字有 {1} 个，别人只会看到“{2}”。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="346" />
        <source>Settings saved</source>
        <translation>设置已保存</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="345" />
        <source>These changes take effect when lanchat restarts:</source>
        <translation>以下更改在 lanchat 重启后生效：</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="350" />
        <source>Restart now</source>
        <translation>立即重启</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="351" />
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="167" />
        <source>Start minimised</source>
        <translation>启动时最小化</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="169" />
        <source>Closing the window keeps lanchat running in the tray</source>
        <translation>关闭窗口后 lanchat 继续在托盘中运行</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="181" />
        <source>You</source>
        <translation>个人</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="182" />
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="183" />
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="184" />
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="186" />
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="187" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="228" />
        <source>Choose a picture</source>
        <translation>选择图片</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="229" />
        <source>Pictures (*.png *.jpg *.jpeg *.gif *.webp *.bmp)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.gif *.webp *.bmp)</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="238" />
        <source>Not a picture</source>
        <translation>不是图片</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="239" />
        <source>lanchat cannot read this file as a picture.</source>
        <translation>lanchat 无法把这个文件作为图片读取。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="264" />
        <source>Check the addresses</source>
        <translation>请检查地址</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="265" />
        <source>“{0}” is not an address like 192.168.1.20 or pc-name:48484.</source>
        <translation>“{0}”不是类似 192.168.1.20 或 pc-name:48484 的地址。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="274" />
        <source>Name needed</source>
        <translation>需要名字</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="274" />
        <source>Please enter the name others will see.</source>
        <translation>请输入别人能看到的名字。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="296" />
        <source>No network</source>
        <translation>没有网络</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="296" />
        <source>Choose at least one network to join.</source>
        <translation>请至少选择一个要加入的网络。</translation>
    </message>
</context>
<context>
    <name>ShareDialog</name>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="45" />
        <source>Phone / browser</source>
        <translation>手机 / 浏览器</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="64" />
        <source>A classmate scans a QR code with their phone's camera: a page opens in the browser. Nothing to install, no account.</source>
        <translation>同学用手机相机扫描二维码，浏览器中会打开一个页面。无需安装，无需账号。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="67" />
        <source>The phone can send me photos and files</source>
        <translation>手机可以向我发送照片和文件</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="69" />
        <source>The phone can download these files:</source>
        <translation>手机可以下载这些文件：</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="72" />
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="74" />
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="80" />
        <source>Ask for a 4-digit PIN on the page</source>
        <translation>在页面上要求输入 4 位 PIN 码</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="81" />
        <source>Accept everything sent through this link without asking</source>
        <translation>通过此链接发送的所有文件都直接接收，不再询问</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="82" />
        <source>Encrypt the connection (HTTPS; the browser warns once)</source>
        <translation>加密连接（HTTPS；浏览器会警告一次）</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="88" />
        <source>Show QR code</source>
        <translation>显示二维码</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="91" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="109" />
        <source>Files the phone can download</source>
        <translation>手机可以下载的文件</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="171" />
        <source>Stop sharing</source>
        <translation>停止分享</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="190" />
        <source>PIN: {0}</source>
        <translation>PIN 码：{0}</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="194" />
        <source>Encrypted. The browser will warn that the certificate is not trusted: it is this computer's own. Continue only if the certificate's SHA-256 fingerprint is {0}</source>
        <translation>已加密。浏览器会警告证书不受信任：这是本电脑自己的证书。只有当证书的 SHA-256 指纹为 {0} 时才继续</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="197" />
        <source>Not encrypted — others on this Wi-Fi could see these files.</source>
        <translation>未加密——同一 Wi-Fi 上的其他人可能看到这些文件。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="200" />
        <source>The phone can send you files</source>
        <translation>手机可以向你发送文件</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="201" />
        <source> (taken without asking).</source>
        <translation>（直接接收，不询问）。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="201" />
        <source> (you accept each batch).</source>
        <translation>（每批文件由你接受）。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="203" />
        <source>It can download: {0}.</source>
        <translation>它可以下载：{0}。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="204" />
        <source>The link stops working when you close this window, or after an hour unused.</source>
        <translation>关闭此窗口，或一小时无人使用后，链接即失效。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="224" />
        <source>This share has ended (an hour unused): its link no longer works.</source>
        <translation>此分享已结束（一小时无人使用）：链接已失效。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="225" />
        <source>This share has ended.</source>
        <translation>此分享已结束。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="235" />
        <source>{0} → {1}: downloaded</source>
        <translation>{0} → {1}：已下载</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="236" />
        <source>{0} → {1}: stopped at {2}</source>
        <translation>{0} → {1}：停在 {2}</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/share_dialog.py" line="239" />
        <source>{0} → {1}: {2} %</source>
        <translation>{0} → {1}：{2} %</translation>
    </message>
</context>
<context>
    <name>TransferCards</name>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="33" />
        <source>{0} s left</source>
        <extracomment>The reason `TransferService` gives a cancel that came from the other side.</extracomment>
        <translation>剩余 {0} 秒</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="35" />
        <source>{0} min left</source>
        <translation>剩余 {0} 分钟</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="36" />
        <source>{0} h {1} min left</source>
        <translation>剩余 {0} 小时 {1} 分钟</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="42" />
        <source>they</source>
        <translation>对方</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="46" />
        <source>Wants to send you this</source>
        <translation>想发送给你</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="48" />
        <source>Offered</source>
        <translation>已提供</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="64" />
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="76" />
        <source>Declined</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="65" />
        <source>Received</source>
        <translation>已接收</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="51" />
        <source>{0} is offline: will send when {0} is back</source>
        <translation>{0} 不在线：等 {0} 上线后再发送</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="52" />
        <source>Waiting for {0} to accept…</source>
        <translation>等待 {0} 接收…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="59" />
        <source>{0} cancelled</source>
        <translation>{0} 取消了</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="61" />
        <source>Cancelled: nothing happened to it for 7 days</source>
        <translation>已取消：7 天内没有进展</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="62" />
        <source>You cancelled</source>
        <translation>你取消了</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="65" />
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="73" />
        <source>Not saved: there is not enough free space</source>
        <translation>未保存：磁盘空间不足</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="75" />
        <source>Not saved: the download folder cannot be used</source>
        <translation>未保存：无法使用下载文件夹</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="78" />
        <source>{0} has no room for it: their disk is full</source>
        <translation>{0} 的磁盘已满，放不下</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="79" />
        <source>{0} is busy with other transfers; try again later</source>
        <translation>{0} 正忙于其他传输，请稍后再试</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="80" />
        <source>Too large for {0} to accept</source>
        <translation>太大了，{0} 无法接收</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="81" />
        <source>{0}'s lanchat refused a file name in it</source>
        <translation>{0} 的 lanchat 拒绝了其中的一个文件名</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="82" />
        <source>{0}'s lanchat refused it as not valid</source>
        <translation>{0} 的 lanchat 认为它无效而拒绝了</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="84" />
        <source>{0} declined</source>
        <translation>{0} 拒绝了</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="89" />
        <source>Failed: it arrived damaged</source>
        <translation>失败：收到的文件已损坏</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="90" />
        <source>Failed: the disk is full</source>
        <translation>失败：磁盘已满</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="91" />
        <source>Failed: it could not be written to disk</source>
        <translation>失败：无法写入磁盘</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="92" />
        <source>Deleted: it was not a real picture</source>
        <translation>已删除：它不是真正的图片</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="94" />
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="246" />
        <source>Accept all</source>
        <extracomment>One line, centred in its box and never clipped to it: a line with Chinese in it is laid out with a taller fallback font, and clipping to the primary font's height cut off underscores. (1.1) An album: each shown picture and its square. A transfer moved on (its tid): chat views repaint that entry. Small copies of local pictures, made off the GUI thread (None: read here, for tests). peer id -&gt; (name, online), for sentences such as "will send when Ben is back".</extracomment>
        <translation>全部接收</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="247" />
        <source>Decline all</source>
        <translation>全部拒绝</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="261" />
        <source>{0} of {1} pictures here</source>
        <translation>已收到 {0}/{1} 张图片</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="271" />
        <source>Accept</source>
        <translation>接收</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="272" />
        <source>Decline</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="249" />
        <location filename="../../lanchat/ui/transfer_cards.py" line="275" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="251" />
        <location filename="../../lanchat/ui/transfer_cards.py" line="277" />
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="260" />
        <source>%n pictures</source>
        <translation>%n 张图片</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="280" />
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="281" />
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="117" />
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="123" />
        <source>{0} (folder, {1} files)</source>
        <translation>{0}（文件夹，{1} 个文件）</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_words.py" line="124" />
        <source>{0} and {1} more</source>
        <translation>{0} 等 {1} 个</translation>
    </message>
</context>
<context>
    <name>TransfersPanel</name>
    <message>
        <location filename="../../lanchat/ui/transfers_panel.py" line="168" />
        <source>Transfers — lanchat</source>
        <translation>文件传输 — lanchat</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfers_panel.py" line="170" />
        <source>Accept</source>
        <translation>接收</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfers_panel.py" line="170" />
        <source>Decline</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfers_panel.py" line="171" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfers_panel.py" line="171" />
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfers_panel.py" line="172" />
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../../lanchat/ui/tray.py" line="106" />
        <source>Show lanchat</source>
        <translation>显示 lanchat</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/tray.py" line="107" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/tray.py" line="109" />
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/tray.py" line="109" />
        <source>Away</source>
        <translation>离开</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/tray.py" line="109" />
        <source>Busy</source>
        <translation>忙碌</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/tray.py" line="108" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lanchat/ui/tray.py" line="131" />
        <source>lanchat — %n unread message(s)</source>
        <translation>
            <numerusform>lanchat — %n 条未读消息</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WindowDialogs</name>
    <message>
        <location filename="../../lanchat/ui/window_dialogs.py" line="115" />
        <source>lanchat keeps running</source>
        <translation>lanchat 仍在运行</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/window_dialogs.py" line="116" />
        <source>lanchat is still running in the tray, so you keep receiving messages. To quit, use Quit in the tray menu. You can change this in Settings.</source>
        <translation>lanchat 仍在托盘中运行，所以你会继续收到消息。要退出，请使用托盘菜单中的“退出”。你可以在设置中更改此行为。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/window_dialogs.py" line="134" />
        <source>lanchat</source>
        <translation>lanchat</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/window_dialogs.py" line="154" />
        <source>There is no one to add yet: wait until others appear on the left.</source>
        <translation>还没有可以添加的人：请等待其他人出现在左侧。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/window_dialogs.py" line="195" />
        <source>wants to send you: {0}</source>
        <translation>想发送给你：{0}</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/window_dialogs.py" line="225" />
        <source>This picture is not on this computer (yet).</source>
        <translation>这张图片（还）不在这台电脑上。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/window_dialogs.py" line="237" />
        <source>Sharing with a browser is not available in this run.</source>
        <translation>本次运行无法与浏览器共享。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/window_dialogs.py" line="260" />
        <source>“{0}” was not saved: it needs {1}, but the download folder {2} has only {3} free. Free some space, or choose another folder in Settings, then ask {4} to send it again.</source>
        <translation>“{0}”没有保存：它需要 {1}，但下载文件夹 {2} 只剩 {3} 可用空间。请清理一些空间，或在设置中选择别的文件夹，然后请 {4} 重新发送。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/window_dialogs.py" line="266" />
        <source>“{0}” was not saved: lanchat cannot write to the download folder {1}. Choose another folder in Settings, then ask {2} to send it again.</source>
        <translation>“{0}”没有保存：lanchat 无法写入下载文件夹 {1}。请在设置中选择别的文件夹，然后请 {2} 重新发送。</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="28" />
        <source>{peer} did not prove who they are (their key changed, or someone pretends to be them). lanchat did not talk to them.</source>
        <translation>{peer} 未能证明自己的身份（对方的密钥变了，或有人冒充对方）。lanchat 没有与其通信。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="33" />
        <source>{peer} sent something lanchat does not understand; the connection was closed.</source>
        <translation>{peer} 发送了 lanchat 无法理解的内容，连接已关闭。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="36" />
        <source>{peer} sent something too large; it was refused.</source>
        <translation>{peer} 发送的内容太大，已被拒绝。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="37" />
        <source>{peer} uses a lanchat version that cannot talk to this one.</source>
        <translation>{peer} 使用的 lanchat 版本无法与此版本通信。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="38" />
        <source>A peer at {peer} failed to prove its identity; lanchat did not talk to it.</source>
        <translation>位于 {peer} 的对方未能证明身份，lanchat 没有与其通信。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="41" />
        <source>{peer} is busy with other transfers; try again in a moment.</source>
        <translation>{peer} 正忙于其他传输，请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="42" />
        <source>There is not enough disk space for this transfer.</source>
        <translation>磁盘空间不足，无法完成此次传输。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="43" />
        <source>{peer} had an internal problem with what we sent.</source>
        <translation>{peer} 处理我们发送的内容时出现内部问题。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="44" />
        <source>The chat history could not be saved: {text}</source>
        <translation>无法保存聊天记录：{text}</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="57" />
        <source>A contact</source>
        <extracomment>Notices that deserve a dialog rather than a status-bar line.</extracomment>
        <translation>一位联系人</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="70" />
        <source>This message cannot be sent: {0}</source>
        <translation>无法发送这条消息：{0}</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="72" />
        <source>lanchat is not allowed to use {0}.</source>
        <translation>lanchat 无权使用 {0}。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="73" />
        <source>this file</source>
        <translation>此文件</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="76" />
        <source>{0} does not exist (any more).</source>
        <translation>{0} 不存在（或已被删除）。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="77" />
        <source>The file</source>
        <translation>该文件</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="81" />
        <source>The disk is full.</source>
        <translation>磁盘已满。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="83" />
        <source>The network port is used by another program.</source>
        <translation>网络端口已被其他程序占用。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="84" />
        <source>A system error happened: {0}</source>
        <translation>发生系统错误：{0}</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="86" />
        <source>lanchat ran out of memory.</source>
        <translation>lanchat 内存不足。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="87" />
        <source>Something unexpected went wrong: {0}</source>
        <translation>发生意外错误：{0}</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="132" />
        <source>lanchat ran into a problem</source>
        <translation>lanchat 遇到问题</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="135" />
        <source>lanchat keeps running. If this happens again, please report it with the details below.</source>
        <translation>lanchat 会继续运行。如果再次发生，请附上下面的详细信息报告此问题。</translation>
    </message>
</context>
<context>
    <name>networks</name>
    <message>
        <location filename="../../lanchat/ui/networks.py" line="15" />
        <source>IP Messenger</source>
        <translation>飞鸽传书</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/networks.py" line="17" />
        <source>Browser</source>
        <translation>浏览器</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/networks.py" line="24" />
        <location filename="../../lanchat/ui/networks.py" line="40" />
        <source>not encrypted</source>
        <translation>未加密</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/networks.py" line="25" />
        <location filename="../../lanchat/ui/networks.py" line="42" />
        <source>identity not verified</source>
        <translation>身份未经验证</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/networks.py" line="26" />
        <source>no read receipts</source>
        <translation>没有已读回执</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/networks.py" line="27" />
        <source>no typing indicator</source>
        <translation>不显示“正在输入”</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/networks.py" line="28" />
        <source>group messages arrive one by one</source>
        <translation>群消息逐条单独送达</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/networks.py" line="29" />
        <source>cut transfers start over</source>
        <translation>中断的传输会从头开始</translation>
    </message>
</context>
<context>
    <name>startup</name>
    <message>
        <location filename="../../lanchat/cli/window.py" line="85" />
        <source>lanchat cannot start</source>
        <translation>lanchat 无法启动</translation>
    </message>
    <message>
        <location filename="../../lanchat/cli/window.py" line="86" />
        <source>Close other copies of lanchat or programs that use the same ports, then try again.</source>
        <translation>请关闭其他正在运行的 lanchat 或占用相同端口的程序，然后重试。</translation>
    </message>
</context>
</TS>
